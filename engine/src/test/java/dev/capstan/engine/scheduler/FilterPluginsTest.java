package dev.capstan.engine.scheduler;

import static dev.capstan.engine.scheduler.Objects.GI;
import static dev.capstan.engine.scheduler.Objects.MI;
import static dev.capstan.engine.scheduler.Objects.info;
import static dev.capstan.engine.scheduler.Objects.node;
import static dev.capstan.engine.scheduler.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.scheduler.plugins.NodeReady;
import dev.capstan.engine.scheduler.plugins.NodeResourcesFit;
import dev.capstan.engine.scheduler.plugins.NodeSelector;
import dev.capstan.engine.scheduler.plugins.NodeUnschedulable;
import dev.capstan.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Filter plugins as Kubernetes tests them: tables of {name, pod, node, want}. */
class FilterPluginsTest {

    record Case(String name, FilterPlugin plugin, Pod pod, NodeInfo node, Status want) {
        @Override
        public String toString() {
            return plugin.name() + ": " + name;
        }
    }

    static Stream<Case> cases() {
        FilterPlugin fit = new NodeResourcesFit();
        FilterPlugin ready = new NodeReady();
        FilterPlugin cordon = new NodeUnschedulable();
        FilterPlugin selector = new NodeSelector();
        var n = node("n1", "2", "4Gi");
        return Stream.of(
                new Case("fits an empty node", fit, pod("p", "500m", "1Gi"), info(n, 0, 0, 0), Status.success()),
                new Case("fits exactly", fit, pod("p", "1", "2Gi"), info(n, 1000, 2 * GI, 3), Status.success()),
                new Case("requests nothing", fit, pod("p", null, null), info(n, 2000, 4 * GI, 5), Status.success()),
                new Case("cpu taken by bound pods", fit, pod("p", "500m", "1Gi"), info(n, 1600, 0, 2),
                        Status.unschedulable(NodeResourcesFit.INSUFFICIENT_CPU)),
                new Case("memory taken by bound pods", fit, pod("p", "100m", "1Gi"), info(n, 0, 3 * GI + 512 * MI, 2),
                        Status.unschedulable(NodeResourcesFit.INSUFFICIENT_MEMORY)),
                new Case("both short", fit, pod("p", "3", "5Gi"), info(n, 0, 0, 0),
                        Status.unschedulable(NodeResourcesFit.INSUFFICIENT_CPU, NodeResourcesFit.INSUFFICIENT_MEMORY)),
                new Case("no pod slot left", fit, pod("p", null, null),
                        info(node("n1", "2", "4Gi", "3", true, false, Map.of()), 0, 0, 3),
                        Status.unschedulable(NodeResourcesFit.TOO_MANY_PODS)),
                new Case("node without capacity", fit, pod("p", "1m", null),
                        NodeInfo.of(new dev.capstan.model.Node(dev.capstan.model.ObjectMeta.of(null, "bare"), null, null)),
                        Status.unschedulable(NodeResourcesFit.INSUFFICIENT_CPU)),
                new Case("ready node", ready, pod("p", null, null), info(n, 0, 0, 0), Status.success()),
                new Case("not ready node", ready, pod("p", null, null),
                        info(node("n1", "2", "4Gi", "110", false, false, Map.of()), 0, 0, 0),
                        Status.unresolvable(NodeReady.NOT_READY)),
                new Case("schedulable node", cordon, pod("p", null, null), info(n, 0, 0, 0), Status.success()),
                new Case("cordoned node", cordon, pod("p", null, null),
                        info(node("n1", "2", "4Gi", "110", true, true, Map.of()), 0, 0, 0),
                        Status.unresolvable(NodeUnschedulable.UNSCHEDULABLE)),
                new Case("no selector", selector, pod("p", null, null), info(n, 0, 0, 0), Status.success()),
                new Case("selector matches", selector, pod("p", null, null, Map.of("disk", "ssd"), null),
                        info(node("n1", "2", "4Gi", "110", true, false, Map.of("disk", "ssd", "zone", "a")), 0, 0, 0),
                        Status.success()),
                new Case("selector value differs", selector, pod("p", null, null, Map.of("disk", "ssd"), null),
                        info(node("n1", "2", "4Gi", "110", true, false, Map.of("disk", "hdd")), 0, 0, 0),
                        Status.unresolvable(NodeSelector.MISMATCH)),
                new Case("selector label missing", selector,
                        pod("p", null, null, Map.of("disk", "ssd", "zone", "a"), null),
                        info(node("n1", "2", "4Gi", "110", true, false, Map.of("disk", "ssd")), 0, 0, 0),
                        Status.unresolvable(NodeSelector.MISMATCH)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filters(Case c) {
        assertThat(c.plugin().filter(c.pod(), c.node())).isEqualTo(c.want());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyRejectionHasAReason(Case c) {
        Status s = c.plugin().filter(c.pod(), c.node());
        assertThat(s.isSuccess() ? List.of() : s.reasons()).allSatisfy(r -> assertThat(r).isNotBlank());
        assertThat(s.isSuccess()).isEqualTo(s.reasons().isEmpty());
    }
}
