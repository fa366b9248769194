package dev.capstan.engine.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ControllerRunnerTest {
    private static HazelcastStateStore store;
    private static final RunnerConfig FAST = new RunnerConfig(3, Duration.ofMinutes(5), Duration.ofMillis(5),
            Duration.ofMillis(40));

    @BeforeAll
    static void startMember() {
        store = TestStores.start();
    }

    @AfterAll
    static void stopMember() {
        store.close();
    }

    /** A controller of pods in one namespace whose reconcile is given by the test. */
    private static Controller podController(String ns, Function<String, Result> reconcile) {
        return new Controller() {
            @Override
            public String name() {
                return "test-" + ns;
            }

            @Override
            public void watches(Watches w) {
                w.on(Kinds.POD, e -> ns.equals(e.object().metadata().namespace()) ? List.of(e.object().key())
                        : List.of());
            }

            @Override
            public Collection<String> resyncKeys() {
                return store.list(Kinds.POD, ns).stream().map(KubeObject::key).toList();
            }

            @Override
            public Result reconcile(String key) {
                return reconcile.apply(key);
            }
        };
    }

    private static Pod pod(String ns, String name) {
        return new Pod(ObjectMeta.of(ns, name), new PodSpec(null, null, null, null, null, null), null);
    }

    @Test
    void resyncAtStartThenWatchEventsEnqueueKeys() {
        store.create(pod("r1", "before"));
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ControllerRunner r = new ControllerRunner(store, podController("r1", k -> {
            seen.add(k);
            return Result.done();
        }), FAST).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("r1/before"));
            store.create(pod("r1", "after"));
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("r1/after"));
        }
    }

    @Test
    void failuresAreRetriedWithBackOffUntilTheyPass() {
        AtomicInteger calls = new AtomicInteger();
        try (ControllerRunner r = new ControllerRunner(store, podController("r2", k -> {
            if (calls.incrementAndGet() < 4) {
                throw new IllegalStateException("not yet");
            }
            return Result.done();
        }), FAST).start()) {
            store.create(pod("r2", "flaky"));
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 4 && r.queue().isIdle());
            assertThat(r.queue().failures("r2/flaky")).isZero();
            assertThat(calls.get()).isEqualTo(4);
        }
    }

    @Test
    void requeueAfterRunsTheKeyAgainLater() {
        AtomicInteger calls = new AtomicInteger();
        try (ControllerRunner r = new ControllerRunner(store, podController("r3",
                k -> calls.incrementAndGet() < 3 ? Result.requeueAfter(Duration.ofMillis(30)) : Result.done()),
                FAST).start()) {
            store.create(pod("r3", "p"));
            await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 3 && r.queue().isIdle());
        }
    }

    @Test
    void aKeyIsNeverReconciledConcurrentlyEvenUnderAStormOfEvents() throws Exception {
        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicBoolean overlap = new AtomicBoolean();
        try (ControllerRunner r = new ControllerRunner(store, podController("r4", k -> {
            if (inFlight.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet() > 1) {
                overlap.set(true);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.get(k).decrementAndGet();
            return Result.done();
        }), FAST).start()) {
            Pod p = store.create(pod("r4", "hot"));
            for (int i = 0; i < 50; i++) {
                p = store.update(p.withMetadata(p.metadata().withLabel("i", Integer.toString(i))));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> r.reconciles() > 0 && r.queue().isIdle());
            assertThat(overlap).isFalse();
        }
    }

    @Test
    void closeStopsWorkersAndWatches() {
        AtomicInteger calls = new AtomicInteger();
        ControllerRunner r = new ControllerRunner(store, podController("r5", k -> {
            calls.incrementAndGet();
            return Result.done();
        }), FAST).start();
        r.close();
        r.close();
        store.create(pod("r5", "late"));
        await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> true);
        assertThat(calls.get()).isZero();
    }

    @Test
    void soonerPrefersRetryThenTheShorterDelay() {
        Result a = Result.requeueAfter(Duration.ofSeconds(5));
        Result b = Result.requeueAfter(Duration.ofSeconds(1));
        assertThat(a.sooner(b)).isEqualTo(b);
        assertThat(Result.done().sooner(a)).isEqualTo(a);
        assertThat(a.sooner(Result.retry("x")).type()).isEqualTo(Result.Type.RETRY);
    }
}
