package dev.capstan.node.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.model.Container;
import dev.capstan.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The workers with a scripted prober: gating by the startup probe, liveness failure, forgetting. */
class ProbeManagerTest {
    private final Map<String, Boolean> healthy = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Prober prober = (probe, id, ports) -> {
        String what = probe.exec().command().get(0);
        calls.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
        return healthy.getOrDefault(what, false) ? Prober.Outcome.ok() : Prober.Outcome.failed(what + " says no");
    };
    private final ProbeManager probes = new ProbeManager("n", prober, Clock.systemUTC(), (id, k, r, m) -> { });

    @AfterEach
    void close() {
        probes.close();
    }

    private static Probe exec(String name, int failureThreshold) {
        return new Probe(null, null, new Probe.Exec(List.of(name)), null, 1, 1, 1, failureThreshold);
    }

    private static Container container(Probe liveness, Probe readiness, Probe startup) {
        return new Container("app", "img", List.of("sh"), null, null, null, null, null, liveness, readiness, startup);
    }

    @Test
    void livenessAndReadinessWaitUntilTheStartupProbeSucceeds() {
        probes.watch("c1", container(exec("live", 1), exec("ready", 1), exec("start", 100)), null, p -> 1);
        healthy.put("ready", true);
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.getOrDefault("start", new AtomicInteger()).get() >= 2);
        assertThat(probes.started("c1")).isFalse();
        assertThat(probes.ready("c1")).isFalse();
        assertThat(calls).doesNotContainKeys("live", "ready");
        assertThat(probes.failure("c1")).isEmpty();

        healthy.put("start", true);
        healthy.put("live", true);
        await().atMost(Duration.ofSeconds(5)).until(() -> probes.ready("c1"));
        assertThat(probes.started("c1")).isTrue();
    }

    @Test
    void failingLivenessProbeAsksForARestartWithItsReason() {
        probes.watch("c2", container(exec("live", 2), null, null), null, p -> 1);
        assertThat(probes.ready("c2")).as("no readiness probe: ready when running").isTrue();
        await().atMost(Duration.ofSeconds(6)).until(() -> probes.failure("c2").isPresent());
        assertThat(probes.failure("c2")).contains("Liveness probe failed: live says no");
        assertThat(calls.get("live").get()).isGreaterThanOrEqualTo(2);

        probes.retain(Set.of());
        assertThat(probes.failure("c2")).isEmpty();
        int after = calls.get("live").get();
        await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
        assertThat(calls.get("live").get()).as("forgotten containers are not probed").isLessThanOrEqualTo(after + 1);
    }

    @Test
    void containersWithoutProbesAreStartedAndReady() {
        probes.watch("c3", container(null, null, null), null, p -> 1);
        assertThat(probes.started("c3")).isTrue();
        assertThat(probes.ready("c3")).isTrue();
    }
}
