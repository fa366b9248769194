package dev.capstan.node.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Probe;
import dev.capstan.node.agent.probe.ProbeState.Kind;
import dev.capstan.node.agent.probe.ProbeState.Result;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProbeStateTest {
    private static final Instant STARTED = Instant.parse("2026-11-21T10:00:00Z");

    private static Probe tcp(Integer delay, Integer success, Integer failure) {
        return new Probe(null, new Probe.TcpSocket("http"), null, delay, 1, 1, success, failure);
    }

    @Test
    void startsAsKubernetesDoes() {
        assertThat(new ProbeState(Kind.LIVENESS, tcp(null, null, null), STARTED).result()).isEqualTo(Result.SUCCESS);
        assertThat(new ProbeState(Kind.READINESS, tcp(null, null, null), STARTED).result()).isEqualTo(Result.FAILURE);
        assertThat(new ProbeState(Kind.STARTUP, tcp(null, null, null), STARTED).result()).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void waitsForTheInitialDelayCountedFromTheContainerStart() {
        ProbeState s = new ProbeState(Kind.LIVENESS, tcp(5, null, null), STARTED);
        assertThat(s.due(STARTED)).isFalse();
        assertThat(s.due(STARTED.plusMillis(4999))).isFalse();
        assertThat(s.due(STARTED.plusSeconds(5))).isTrue();
        assertThat(new ProbeState(Kind.LIVENESS, tcp(null, null, null), STARTED).due(STARTED)).isTrue();
    }

    @Test
    void livenessFailsOnlyAfterFailureThresholdConsecutiveFailures() {
        ProbeState s = new ProbeState(Kind.LIVENESS, tcp(null, null, 3), STARTED);
        assertThat(s.record(false, "refused")).isFalse();
        assertThat(s.record(false, "refused")).isFalse();
        assertThat(s.record(true, null)).isFalse(); // a success resets the count
        assertThat(s.record(false, "refused")).isFalse();
        assertThat(s.record(false, "refused")).isFalse();
        assertThat(s.result()).isEqualTo(Result.SUCCESS);
        assertThat(s.record(false, "connection refused")).isTrue();
        assertThat(s.result()).isEqualTo(Result.FAILURE);
        assertThat(s.lastFailure()).isEqualTo("connection refused");
        assertThat(s.failures()).isEqualTo(3);
    }

    @Test
    void readinessNeedsSuccessThresholdConsecutiveSuccessesAndDropsAfterFailures() {
        ProbeState s = new ProbeState(Kind.READINESS, tcp(null, 2, 2), STARTED);
        assertThat(s.record(true, null)).isFalse();
        assertThat(s.result()).isEqualTo(Result.FAILURE);
        assertThat(s.record(true, null)).isTrue();
        assertThat(s.result()).isEqualTo(Result.SUCCESS);
        assertThat(s.record(false, "500")).isFalse();
        assertThat(s.result()).as("one failure is below the threshold").isEqualTo(Result.SUCCESS);
        assertThat(s.record(false, "500")).isTrue();
        assertThat(s.result()).isEqualTo(Result.FAILURE);
    }

    @Test
    void startupProbeStopsOnceItSucceeded() {
        ProbeState s = new ProbeState(Kind.STARTUP, tcp(null, null, 30), STARTED);
        assertThat(s.due(STARTED)).isTrue();
        s.record(false, "refused");
        assertThat(s.result()).isEqualTo(Result.UNKNOWN);
        assertThat(s.record(true, null)).isTrue();
        assertThat(s.result()).isEqualTo(Result.SUCCESS);
        assertThat(s.due(STARTED.plusSeconds(60))).isFalse();
    }

    @Test
    void startupProbeFailsAfterItsFailureThreshold() {
        ProbeState s = new ProbeState(Kind.STARTUP, tcp(null, null, 2), STARTED);
        s.record(false, "refused");
        assertThat(s.record(false, "refused")).isTrue();
        assertThat(s.result()).isEqualTo(Result.FAILURE);
    }
}
