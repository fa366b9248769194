package dev.capstan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Container;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.node.runtime.ContainerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodStatusesTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private static Pod pod(String restartPolicy) {
        Container c = new Container("app", "capstan.local/busybox:1.35", List.of("sh"), null, null, null, null, null);
        return new Pod(ObjectMeta.of("demo", "p"), new PodSpec(List.of(c), "node-1", restartPolicy, null, null, true),
                null);
    }

    private static ContainerInfo info(int attempt, ContainerInfo.State state, int exit) {
        return new ContainerInfo("c" + attempt, "s1", "app", attempt, state, exit,
                state == ContainerInfo.State.EXITED ? (exit == 0 ? "Completed" : "Error") : null, null, T0, T0,
                state == ContainerInfo.State.EXITED ? T0.plusSeconds(1) : null, "img", Map.of());
    }

    @Test
    void runningContainerMakesThePodRunningAndReady() {
        Pod.Status s = PodStatuses.compute(pod("Always"), List.of(info(0, ContainerInfo.State.RUNNING, 0)), Map.of(),
                T0, "process");
        assertThat(s.phase()).isEqualTo(Pod.RUNNING);
        assertThat(pod("Always").withStatus(s).isReady()).isTrue();
        assertThat(s.containerStatuses().get(0).containerID()).isEqualTo("process://c0");
    }

    @Test
    void crashedContainerUnderAlwaysWaitsInBackOffWithItsLastState() {
        Pod.Status s = PodStatuses.compute(pod("Always"),
                List.of(info(0, ContainerInfo.State.EXITED, 1), info(1, ContainerInfo.State.EXITED, 1)),
                Map.of("app", new String[]{"CrashLoopBackOff", "back-off 10s"}), T0, "process");
        Pod.ContainerStatus cs = s.containerStatuses().get(0);
        assertThat(s.phase()).isEqualTo(Pod.RUNNING);
        assertThat(cs.restartCount()).isEqualTo(1);
        assertThat(cs.state().waiting().reason()).isEqualTo("CrashLoopBackOff");
        assertThat(cs.lastState().terminated().exitCode()).isEqualTo(1);
        assertThat(pod("Always").withStatus(s).isReady()).isFalse();
    }

    @Test
    void exitUnderNeverEndsThePod() {
        assertThat(PodStatuses.compute(pod("Never"), List.of(info(0, ContainerInfo.State.EXITED, 0)), Map.of(), T0,
                "process").phase()).isEqualTo(Pod.SUCCEEDED);
        assertThat(PodStatuses.compute(pod("Never"), List.of(info(0, ContainerInfo.State.EXITED, 2)), Map.of(), T0,
                "process").phase()).isEqualTo(Pod.FAILED);
    }

    @Test
    void onFailureRestartsOnlyFailures() {
        assertThat(PodStatuses.shouldRestart("OnFailure", info(0, ContainerInfo.State.EXITED, 0))).isFalse();
        assertThat(PodStatuses.shouldRestart("OnFailure", info(0, ContainerInfo.State.EXITED, 3))).isTrue();
        assertThat(PodStatuses.shouldRestart(null, info(0, ContainerInfo.State.EXITED, 0))).isTrue();
    }

    @Test
    void backOffDoublesFromTenSecondsToFiveMinutes() {
        assertThat(PodStatuses.backoffMillis(0)).isZero();
        assertThat(PodStatuses.backoffMillis(1)).isEqualTo(10_000);
        assertThat(PodStatuses.backoffMillis(2)).isEqualTo(20_000);
        assertThat(PodStatuses.backoffMillis(20)).isEqualTo(300_000);
    }
}
