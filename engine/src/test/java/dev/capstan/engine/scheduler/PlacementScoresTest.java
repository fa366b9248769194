package dev.capstan.engine.scheduler;

import static dev.capstan.engine.scheduler.PodBuilder.HOST;
import static dev.capstan.engine.scheduler.PodBuilder.ZONE;
import static dev.capstan.engine.scheduler.PodBuilder.cache;
import static dev.capstan.engine.scheduler.PodBuilder.node;
import static dev.capstan.engine.scheduler.PodBuilder.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.scheduler.plugins.InterPodAffinity;
import dev.capstan.engine.scheduler.plugins.LeastAllocated;
import dev.capstan.engine.scheduler.plugins.MostAllocated;
import dev.capstan.engine.scheduler.plugins.NodeAffinity;
import dev.capstan.engine.scheduler.plugins.PodTopologySpread;
import dev.capstan.engine.scheduler.plugins.TaintToleration;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Score plugins as tables: {name, pod, nodes, bound pods, want score per node}. */
class PlacementScoresTest {

    record Case(String name, ScorePlugin plugin, Pod pod, List<Node> nodes, List<Pod> pods, Map<String, Integer> want) {
        @Override
        public String toString() {
            return plugin.name() + ": " + name;
        }
    }

    private static Map<String, Integer> want(Object... nodeAndScore) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < nodeAndScore.length; i += 2) {
            m.put((String) nodeAndScore[i], (Integer) nodeAndScore[i + 1]);
        }
        return m;
    }

    static Stream<Case> cases() {
        List<Node> zones = List.of(node("a1", "a", "disk=ssd"), node("a2", "a"), node("b1", "b", "disk=ssd"),
                node("c1", null));
        Pod api1 = pod("api-1").label("app", "api").on("a1").build();
        Pod api2 = pod("api-2").label("app", "api").on("a2").build();
        return Stream.of(
                new Case("no preference: all equal", new NodeAffinity(), pod("p").build(), zones, List.of(),
                        want("a1", 100, "c1", 100)),
                new Case("preferred terms weigh", new NodeAffinity(),
                        pod("p").preferNode(80, "disk In ssd").preferNode(20, ZONE + " In a").build(), zones, List.of(),
                        want("a1", 100, "a2", 20, "b1", 80, "c1", 0)),
                new Case("PreferNoSchedule lowers a node", new TaintToleration(), pod("p").build(),
                        List.of(node("t", null, "busy=yes:PreferNoSchedule"), node("u", null)), List.of(),
                        want("t", 50, "u", 100)),
                new Case("tolerated PreferNoSchedule does not", new TaintToleration(),
                        pod("p").tolerate("busy", "Exists", null, null).build(),
                        List.of(node("t", null, "busy=yes:PreferNoSchedule")), List.of(), want("t", 100)),
                new Case("preferred affinity and anti-affinity", new InterPodAffinity(),
                        pod("p").preferAffinity(3, "app=api", ZONE).preferAntiAffinity(1, "app=api", HOST).build(),
                        zones, List.of(api1), want("a1", 75, "a2", 87, "b1", 50, "c1", 50)),
                new Case("ScheduleAnyway prefers the emptier zone", new PodTopologySpread(),
                        pod("p").label("app", "api").spread(1, ZONE, "ScheduleAnyway", "app=api").build(), zones,
                        List.of(api1, api2), want("a1", 0, "b1", 100, "c1", 0)),
                new Case("LeastAllocated prefers the empty node", new LeastAllocated(),
                        pod("p").requests("1", "2Gi").build(), zones,
                        List.of(pod("big").requests("2", "4Gi").on("a1").build()), want("a1", 25, "a2", 75)),
                new Case("MostAllocated prefers the full node", new MostAllocated(),
                        pod("p").requests("1", "2Gi").build(), zones,
                        List.of(pod("big").requests("2", "4Gi").on("a1").build()), want("a1", 75, "a2", 25)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scores(Case c) {
        SchedulerCache cluster = cache(c.nodes(), c.pods());
        ScorePlugin prepared = c.plugin().prepareScore(c.pod(), cluster);
        Map<String, Integer> got = new LinkedHashMap<>();
        for (String n : c.want().keySet()) {
            NodeInfo node = cluster.nodeInfo(n);
            got.put(n, prepared == null ? c.plugin().score(c.pod(), node) : prepared.score(c.pod(), node));
        }
        assertThat(got).isEqualTo(c.want());
    }

    @Test
    void binPackingFillsOneNodeWhereSpreadingAlternates() {
        List<Node> nodes = List.of(node("n1", null), node("n2", null));
        for (ScoringStrategy strategy : ScoringStrategy.values()) {
            SchedulerCache cluster = cache(nodes, List.of());
            Profile profile = Profile.defaults(strategy);
            List<String> placed = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Pod p = pod("p" + i).requests("500m", "1Gi").build();
                Decision d = profile.schedule(p, cluster, 0);
                cluster.assume(p, d.nodeName());
                placed.add(d.nodeName());
            }
            assertThat(placed).as(strategy.name()).isEqualTo(strategy == ScoringStrategy.MOST_ALLOCATED
                    ? List.of("n1", "n1", "n1", "n1") : List.of("n1", "n2", "n1", "n2"));
        }
    }

    @Test
    void strategyParsesFromConfigText() {
        assertThat(ScoringStrategy.parse("MostAllocated")).isEqualTo(ScoringStrategy.MOST_ALLOCATED);
        assertThat(ScoringStrategy.parse("least-allocated")).isEqualTo(ScoringStrategy.LEAST_ALLOCATED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScoringStrategy.parse("random"))
                .hasMessageContaining("LeastAllocated or MostAllocated");
    }
}
