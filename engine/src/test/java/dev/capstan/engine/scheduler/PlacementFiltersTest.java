package dev.capstan.engine.scheduler;

import static dev.capstan.engine.scheduler.PodBuilder.HOST;
import static dev.capstan.engine.scheduler.PodBuilder.ZONE;
import static dev.capstan.engine.scheduler.PodBuilder.cache;
import static dev.capstan.engine.scheduler.PodBuilder.node;
import static dev.capstan.engine.scheduler.PodBuilder.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.scheduler.plugins.InterPodAffinity;
import dev.capstan.engine.scheduler.plugins.NodeAffinity;
import dev.capstan.engine.scheduler.plugins.PodTopologySpread;
import dev.capstan.engine.scheduler.plugins.TaintToleration;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The placement filters as Kubernetes tests them: {name, pod, nodes, bound pods, want} where want maps
 * each node to its rejection reason, or "" when the pod may go there.
 */
class PlacementFiltersTest {
    private static final FilterPlugin AFFINITY = new NodeAffinity();
    private static final FilterPlugin TAINTS = new TaintToleration();
    private static final FilterPlugin POD_AFFINITY = new InterPodAffinity();
    private static final FilterPlugin SPREAD = new PodTopologySpread();

    record Case(String name, FilterPlugin plugin, Pod pod, List<Node> nodes, List<Pod> pods, Map<String, String> want) {
        @Override
        public String toString() {
            return plugin.name() + ": " + name;
        }
    }

    private static Map<String, String> want(String... nodeAndReason) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nodeAndReason.length; i += 2) {
            m.put(nodeAndReason[i], nodeAndReason[i + 1]);
        }
        return m;
    }

    static Stream<Case> cases() {
        List<Node> zones = List.of(node("a1", "a", "disk=ssd", "cores=8"), node("a2", "a", "disk=hdd", "cores=2"),
                node("b1", "b", "disk=ssd", "cores=16"), node("c1", null));
        String na = NodeAffinity.MISMATCH;
        String anti = InterPodAffinity.ANTI_AFFINITY;
        String aff = InterPodAffinity.AFFINITY;
        String existing = InterPodAffinity.EXISTING_ANTI_AFFINITY;
        String skew = PodTopologySpread.SKEW;
        String missing = PodTopologySpread.MISSING_LABEL;
        Pod api1 = pod("api-1").label("app", "api").on("a1").build();
        Pod api2 = pod("api-2").label("app", "api").on("b1").build();
        return Stream.of(
                new Case("no affinity: every node", AFFINITY, pod("p").build(), zones, List.of(),
                        want("a1", "", "a2", "", "b1", "", "c1", "")),
                new Case("In", AFFINITY, pod("p").requireNode(ZONE + " In a").build(), zones, List.of(),
                        want("a1", "", "a2", "", "b1", na, "c1", na)),
                new Case("NotIn also admits a missing label", AFFINITY, pod("p").requireNode(ZONE + " NotIn a").build(),
                        zones, List.of(), want("a1", na, "a2", na, "b1", "", "c1", "")),
                new Case("Exists", AFFINITY, pod("p").requireNode(ZONE + " Exists").build(), zones, List.of(),
                        want("a1", "", "a2", "", "b1", "", "c1", na)),
                new Case("DoesNotExist", AFFINITY, pod("p").requireNode(ZONE + " DoesNotExist").build(), zones,
                        List.of(), want("a1", na, "a2", na, "b1", na, "c1", "")),
                new Case("Gt and Lt", AFFINITY, pod("p").requireNode("cores Gt 4", "cores Lt 10").build(), zones,
                        List.of(), want("a1", "", "a2", na, "b1", na, "c1", na)),
                new Case("expressions in a term are ANDed", AFFINITY,
                        pod("p").requireNode(ZONE + " In a", "disk In ssd").build(), zones, List.of(),
                        want("a1", "", "a2", na, "b1", na, "c1", na)),
                new Case("terms are ORed", AFFINITY,
                        pod("p").requireNode(ZONE + " In b").requireNode("disk In hdd").build(), zones, List.of(),
                        want("a1", na, "a2", "", "b1", "", "c1", na)),
                new Case("NoSchedule taint repels", TAINTS, pod("p").build(),
                        List.of(node("t", null, "dedicated=gpu:NoSchedule"), node("u", null)), List.of(),
                        want("t", "node(s) had untolerated taint {dedicated: gpu}", "u", "")),
                new Case("NoExecute taint repels", TAINTS, pod("p").build(),
                        List.of(node("t", null, "gone:NoExecute")), List.of(),
                        want("t", "node(s) had untolerated taint {gone: }")),
                new Case("PreferNoSchedule does not filter", TAINTS, pod("p").build(),
                        List.of(node("t", null, "busy=yes:PreferNoSchedule")), List.of(), want("t", "")),
                new Case("Equal toleration", TAINTS, pod("p").tolerate("dedicated", "Equal", "gpu", "NoSchedule").build(),
                        List.of(node("t", null, "dedicated=gpu:NoSchedule"), node("v", null, "dedicated=db:NoSchedule")),
                        List.of(), want("t", "", "v", "node(s) had untolerated taint {dedicated: db}")),
                new Case("Exists toleration with any effect", TAINTS, pod("p").tolerate("dedicated", "Exists", null, null)
                        .build(), List.of(node("t", null, "dedicated=gpu:NoSchedule", "dedicated=x:NoExecute")),
                        List.of(), want("t", "")),
                new Case("required anti-affinity by host", POD_AFFINITY,
                        pod("p").label("app", "api").antiAffinity("app=api", HOST).build(), zones, List.of(api1),
                        want("a1", anti, "a2", "", "b1", "", "c1", "")),
                new Case("required anti-affinity by zone", POD_AFFINITY,
                        pod("p").label("app", "api").antiAffinity("app=api", ZONE).build(), zones, List.of(api1),
                        want("a1", anti, "a2", anti, "b1", "", "c1", "")),
                new Case("anti-affinity ignores other namespaces", POD_AFFINITY,
                        pod("p").ns("other").antiAffinity("app=api", ZONE).build(), zones, List.of(api1),
                        want("a1", "", "a2", "", "b1", "", "c1", "")),
                new Case("existing pod's anti-affinity is symmetric", POD_AFFINITY, pod("p").label("role", "db").build(),
                        zones, List.of(pod("x").antiAffinity("role=db", ZONE).on("b1").build()),
                        want("a1", "", "a2", "", "b1", existing, "c1", "")),
                new Case("required affinity by zone", POD_AFFINITY,
                        pod("p").affinity("app=api", ZONE).build(), zones, List.of(api1),
                        want("a1", "", "a2", "", "b1", aff, "c1", aff)),
                new Case("required affinity with no match anywhere", POD_AFFINITY,
                        pod("p").affinity("app=api", ZONE).build(), zones, List.of(), want("a1", aff, "b1", aff)),
                new Case("first of a self-affine group goes anywhere with the key", POD_AFFINITY,
                        pod("p").label("app", "cache").affinity("app=cache", ZONE).build(), zones, List.of(),
                        want("a1", "", "b1", "", "c1", aff)),
                new Case("DoNotSchedule skew 1", SPREAD,
                        pod("p").label("app", "api").spread(1, ZONE, "DoNotSchedule", "app=api").build(), zones,
                        List.of(api1, pod("api-3").label("app", "api").on("a2").build(), api2),
                        want("a1", skew, "a2", skew, "b1", "", "c1", missing)),
                new Case("DoNotSchedule skew 2 allows more", SPREAD,
                        pod("p").label("app", "api").spread(2, ZONE, "DoNotSchedule", "app=api").build(), zones,
                        List.of(api1, pod("api-3").label("app", "api").on("a2").build(), api2),
                        want("a1", "", "b1", "")),
                new Case("ScheduleAnyway never filters", SPREAD,
                        pod("p").label("app", "api").spread(1, ZONE, "ScheduleAnyway", "app=api").build(), zones,
                        List.of(api1, api2), want("a1", "", "c1", "")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filters(Case c) {
        SchedulerCache cluster = cache(c.nodes(), c.pods());
        FilterPlugin prepared = c.plugin().prepareFilter(c.pod(), cluster);
        Map<String, String> got = new LinkedHashMap<>();
        for (String n : c.want().keySet()) {
            Status s = prepared == null ? Status.success() : prepared.filter(c.pod(), cluster.nodeInfo(n));
            got.put(n, String.join(", ", s.reasons()));
        }
        assertThat(got).isEqualTo(c.want());
    }
}
