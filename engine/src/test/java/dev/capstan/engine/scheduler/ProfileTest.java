package dev.capstan.engine.scheduler;

import static dev.capstan.engine.scheduler.Objects.GI;
import static dev.capstan.engine.scheduler.Objects.info;
import static dev.capstan.engine.scheduler.Objects.node;
import static dev.capstan.engine.scheduler.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileTest {
    private final Profile profile = Profile.defaults();

    @Test
    void explainsWhyAPodFitsNowhere() {
        List<NodeInfo> nodes = List.of(
                info(node("a", "4", "512Mi"), 0, 0, 0),
                info(node("b", "4", "2Gi"), 0, GI + GI / 2, 1),
                info(node("c", "4", "8Gi", "110", false, false, Map.of()), 0, 0, 0));

        Decision d = profile.schedule(pod("p", "100m", "1Gi"), nodes);

        assertThat(d.scheduled()).isFalse();
        assertThat(d.message()).isEqualTo("0/3 nodes are available: 2 insufficient memory, 1 node(s) not ready.");
        assertThat(d.rejections().get("a").plugin()).isEqualTo("NodeResourcesFit");
        assertThat(d.reasonsFor("b")).containsExactly("insufficient memory");
        assertThat(d.rejections().get("c").plugin()).isEqualTo("NodeReady");
    }

    @Test
    void countsReasonsOverNodesMostFrequentFirst() {
        List<NodeInfo> nodes = List.of(
                info(node("a", "1", "1Gi"), 0, 0, 0),
                info(node("b", "1", "1Gi"), 0, 0, 0),
                info(node("c", "8", "8Gi", "110", false, false, Map.of()), 0, 0, 0));

        Decision d = profile.schedule(pod("p", "2", "2Gi"), nodes);

        assertThat(d.message())
                .isEqualTo("0/3 nodes are available: 2 insufficient cpu, 2 insufficient memory, 1 node(s) not ready.");
    }

    @Test
    void saysSoWhenThereAreNoNodes() {
        assertThat(profile.schedule(pod("p", null, null), List.of()).message())
                .isEqualTo("0/0 nodes are available: no nodes registered.");
    }

    @Test
    void prefersTheEmptierNode() {
        List<NodeInfo> nodes = List.of(info(node("busy", "4", "8Gi"), 3000, 6 * GI, 3),
                info(node("idle", "4", "8Gi"), 0, 0, 0));

        assertThat(profile.schedule(pod("p", "100m", "100Mi"), nodes).nodeName()).isEqualTo("idle");
    }

    @Test
    void equalScoresGoToTheNodeWithFewerReplicasOfTheSameOwner() {
        NodeInfo withSibling = new NodeInfo(node("a", "4", "8Gi"), 100, 100L << 20, 1, Map.of("rs-1", 1));
        NodeInfo withStranger = new NodeInfo(node("b", "4", "8Gi"), 100, 100L << 20, 1, Map.of("rs-2", 1));

        Decision d = profile.schedule(pod("p", "100m", "100Mi", Map.of(), "rs-1"), List.of(withSibling, withStranger));

        assertThat(d.nodeName()).isEqualTo("b");
    }

    @Test
    void aFailingPluginRejectsTheNodeWithAnError() {
        FilterPlugin broken = new FilterPlugin() {
            @Override
            public String name() {
                return "Broken";
            }

            @Override
            public Status filter(dev.capstan.model.Pod pod, NodeInfo node) {
                throw new IllegalStateException("boom");
            }
        };
        Decision d = new Profile(List.of(broken), List.of()).schedule(pod("p", null, null),
                List.of(info(node("a", "1", "1Gi"), 0, 0, 0)));

        assertThat(d.rejections().get("a").code()).isEqualTo(Status.Code.ERROR);
        assertThat(d.message()).isEqualTo("0/1 nodes are available: 1 Broken failed: boom.");
    }
}
