package dev.capstan.engine.scheduler;

import static dev.capstan.engine.scheduler.PodBuilder.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler's dry run: each placed pod takes room the next one sees; removed pods give it back. */
class PlacementTest {

    private static Node node(String name, String memory) {
        return Placement.simulatedNode(name, Map.of("cpu", "4", "memory", memory, "pods", "110"),
                Map.of(PodBuilder.HOST, name), List.of());
    }

    @Test
    void eachPlacedPodTakesRoomFromTheNext() {
        Placement p = new Placement().node(node("a", "1Gi")).node(node("b", "1Gi"));
        List<Placement.Result> results = List.of(
                p.place(pod("p1").requests("100m", "768Mi").build()),
                p.place(pod("p2").requests("100m", "768Mi").build()),
                p.place(pod("p3").requests("100m", "768Mi").build()));

        assertThat(results).extracting(Placement.Result::node).containsExactlyInAnyOrder("a", "b", null);
        assertThat(results.get(2).reason()).isEqualTo("0/2 nodes are available: 2 insufficient memory.");
    }

    @Test
    void boundPodsHoldRoomUntilRemoved() {
        Pod running = pod("old").requests("100m", "768Mi").on("a").build();
        Placement p = new Placement().node(node("a", "1Gi")).bound(running);
        assertThat(p.place(pod("new").requests("100m", "512Mi").build()).fits()).isFalse();

        assertThat(p.remove(running)).isTrue();
        assertThat(p.place(pod("new").requests("100m", "512Mi").build()).node()).isEqualTo("a");
    }

    @Test
    void simulatedNodesAreReadyAndRepelWhatTheirTaintsRepel() {
        Node gpu = Placement.simulatedNode("gpu", Map.of("cpu", "8", "memory", "8Gi"), Map.of(),
                List.of(new Node.Taint("dedicated", "gpu", "NoSchedule")));
        assertThat(gpu.isReady()).isTrue();
        Placement p = new Placement().node(gpu);
        assertThat(p.place(pod("x").requests("100m", "1Mi").build()).reason())
                .isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.");
        assertThat(p.place(pod("y").requests("100m", "1Mi").tolerate("dedicated", "Equal", "gpu", "NoSchedule")
                .build()).node()).isEqualTo("gpu");
    }
}
