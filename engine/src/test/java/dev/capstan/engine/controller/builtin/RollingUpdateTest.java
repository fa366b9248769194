package dev.capstan.engine.controller.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.model.Deployment;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.ReplicaSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollingUpdateTest {

    @ParameterizedTest(name = "{0} of {1} rounded {2} = {3}")
    @CsvSource(nullValues = "null", value = {
        "25%, 10, up, 3",
        "25%, 10, down, 2",
        "25%, 1, up, 1",
        "25%, 1, down, 0",
        "null, 4, up, 1",
        "0%, 7, up, 0",
        "2, 10, down, 2",
        "100%, 3, down, 3",
    })
    void resolvesCountsAndPercentages(String value, int replicas, String rounding, int want) {
        assertThat(RollingUpdate.resolve(value, replicas, rounding.equals("up"))).isEqualTo(want);
    }

    @ParameterizedTest(name = "surge {0} unavailable {1} of {2} -> {3}/{4}")
    @CsvSource({
        "0, 0, 3, 0, 1",
        "25%, 25%, 1, 1, 0",
        "1, 0, 5, 1, 0",
        "0%, 50%, 4, 0, 2",
    })
    void neverBothZero(String surge, String unavailable, int replicas, int wantSurge, int wantUnavailable) {
        Deployment.Spec spec = new Deployment.Spec(replicas, null, null,
                new Deployment.Strategy("RollingUpdate", new Deployment.RollingUpdate(surge, unavailable)));
        assertThat(RollingUpdate.Limits.of(spec)).isEqualTo(new RollingUpdate.Limits(wantSurge, wantUnavailable));
    }

    @org.junit.jupiter.api.Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> RollingUpdate.resolve("lots", 3, true)).hasMessageContaining("25%");
    }

    @ParameterizedTest(name = "replicas {0}, surge {1}, new {2}, old {3} -> new {4}")
    @CsvSource({
        "4, 1, 0, 4, 1",
        "4, 1, 1, 4, 1",
        "4, 1, 1, 3, 2",
        "4, 2, 0, 4, 2",
        "4, 0, 2, 2, 2",
        "3, 1, 5, 0, 3",
    })
    void growsTheNewSetWithinSurge(int replicas, int surge, int newSize, int oldSize, int want) {
        ReplicaSet newRs = rs("new", newSize, 0);
        List<ReplicaSet> all = List.of(newRs, rs("old", oldSize, oldSize));
        assertThat(RollingUpdate.newReplicas(replicas, new RollingUpdate.Limits(surge, 0), newRs, all)).isEqualTo(want);
    }

    @ParameterizedTest(name = "replicas {0} maxUnavailable {1}: new {2} ({3} available), old {4} ({5} available) -> old {6}")
    @CsvSource({
        "4, 0, 1, 0, 4, 4, 4",
        "4, 0, 1, 1, 4, 4, 3",
        "4, 1, 1, 0, 4, 4, 3",
        "4, 0, 1, 1, 4, 2, 3",
        "4, 0, 4, 4, 1, 1, 0",
        "1, 0, 1, 0, 1, 1, 1",
    })
    void shrinksOldSetsOnlyWhileEnoughPodsAreAvailable(int replicas, int maxUnavailable, int newSize, int newAvailable,
                                                       int oldSize, int oldAvailable, int wantOld) {
        ReplicaSet newRs = rs("new", newSize, newAvailable);
        ReplicaSet old = rs("old", oldSize, oldAvailable);
        Map<ReplicaSet, Integer> changed = RollingUpdate.scaleDownOld(replicas, new RollingUpdate.Limits(1, maxUnavailable),
                newRs, List.of(old));
        assertThat(changed.getOrDefault(old, oldSize)).isEqualTo(wantOld);
    }

    private static ReplicaSet rs(String name, int replicas, int available) {
        return new ReplicaSet(ObjectMeta.of("ns", name), new ReplicaSet.Spec(replicas, new LabelSelector(Map.of()), null),
                new ReplicaSet.Status(replicas, available, available, 1L));
    }
}
