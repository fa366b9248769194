package dev.capstan.engine.scheduler;

import static dev.capstan.engine.scheduler.Objects.GI;
import static dev.capstan.engine.scheduler.Objects.info;
import static dev.capstan.engine.scheduler.Objects.node;
import static dev.capstan.engine.scheduler.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.scheduler.plugins.LeastAllocated;
import dev.capstan.model.Pod;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LeastAllocatedTest {
    private final ScorePlugin plugin = new LeastAllocated();

    record Case(String name, Pod pod, NodeInfo node, int want) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        var n = node("n1", "4", "8Gi");
        return Stream.of(
                new Case("half of both left after placing", pod("p", "2", "4Gi"), info(n, 0, 0, 0), 50),
                new Case("a quarter used already", pod("p", "1", "2Gi"), info(n, 1000, 2 * GI, 1), 50),
                new Case("cpu full, memory empty", pod("p", "4", "0"), info(n, 0, 0, 0), 48),
                new Case("request-less pod counts as 100m/200Mi", pod("p", null, null), info(n, 0, 0, 0), 97),
                new Case("over-committed node scores zero", pod("p", "4", "8Gi"), info(n, 4000, 8 * GI, 3), 0),
                new Case("node without capacity scores zero", pod("p", "1", "1Gi"),
                        NodeInfo.of(new dev.capstan.model.Node(dev.capstan.model.ObjectMeta.of(null, "x"), null, null)), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scores(Case c) {
        assertThat(plugin.score(c.pod(), c.node())).isEqualTo(c.want()).isBetween(0, 100);
    }
}
