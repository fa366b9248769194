package dev.capstan.engine.scheduler;

import static dev.capstan.engine.scheduler.PodBuilder.HOST;
import static dev.capstan.engine.scheduler.PodBuilder.cache;
import static dev.capstan.engine.scheduler.PodBuilder.node;
import static dev.capstan.engine.scheduler.PodBuilder.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default profile end to end over a cache: reasons roll up, and a pass sees its own assumed pods. */
class ProfileRollupTest {

    @Test
    void rejectionsRollUpIntoOneMessage() {
        List<Node> nodes = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            nodes.add(node("n" + i, null));
        }
        for (int i = 1; i <= 3; i++) {
            pods.add(pod("hog-" + i).requests("1", "7Gi").on("n" + i).build());
        }
        pods.add(pod("api-4").label("app", "api").on("n4").build());
        pods.add(pod("api-5").label("app", "api").on("n5").build());
        Pod p = pod("api-6").label("app", "api").requests("100m", "2Gi").antiAffinity("app=api", HOST).build();

        Decision d = Profile.defaults().schedule(p, cache(nodes, pods), 0);

        assertThat(d.scheduled()).isFalse();
        assertThat(d.message()).isEqualTo(
                "0/5 nodes are available: 3 insufficient memory, 2 node(s) didn't match pod anti-affinity rules.");
        assertThat(d.rejections().get("n4").plugin()).isEqualTo("InterPodAffinity");
    }

    @Test
    void podsAssumedEarlierInThePassCountForAntiAffinity() {
        SchedulerCache cluster = cache(List.of(node("n1", null), node("n2", null), node("n3", null)), List.of());
        Profile profile = Profile.defaults();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Pod p = pod("web-" + i).label("app", "web").antiAffinity("app=web", HOST).build();
            Decision d = profile.schedule(p, cluster, i);
            if (d.scheduled()) {
                cluster.assume(p, d.nodeName());
            }
            placed.add(d.scheduled() ? d.nodeName() : d.message());
        }
        assertThat(placed.subList(0, 3)).containsExactlyInAnyOrder("n1", "n2", "n3");
        assertThat(placed.get(3)).isEqualTo(
                "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    }

    @Test
    void removingAPodFreesItsDomain() {
        Pod first = pod("web-0").label("app", "web").antiAffinity("app=web", HOST).on("n1").build();
        SchedulerCache cluster = cache(List.of(node("n1", null)), List.of(first));
        Pod next = pod("web-1").label("app", "web").antiAffinity("app=web", HOST).build();
        assertThat(Profile.defaults().schedule(next, cluster, 0).scheduled()).isFalse();

        cluster.removePod(first);

        assertThat(Profile.defaults().schedule(next, cluster, 0).nodeName()).isEqualTo("n1");
    }

    @Test
    void largeClustersStopAfterEnoughFeasibleNodesButUnfitPodsSeeAll() {
        assertThat(Profile.feasibleNodesToFind(50)).isEqualTo(50);
        assertThat(Profile.feasibleNodesToFind(5000)).isEqualTo(500);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            nodes.add(node(String.format("n%04d", i), null));
        }
        SchedulerCache cluster = cache(nodes, List.of());
        Decision fits = Profile.defaults().schedule(pod("p").requests("1", "1Gi").build(), cluster, 0);
        Decision huge = Profile.defaults().schedule(pod("q").requests("64", "1Gi").build(), cluster, 0);
        assertThat(fits.examined()).isEqualTo(Profile.feasibleNodesToFind(1000));
        assertThat(huge.examined()).isEqualTo(1000);
        assertThat(huge.message()).isEqualTo("0/1000 nodes are available: 1000 insufficient cpu.");
    }
}
