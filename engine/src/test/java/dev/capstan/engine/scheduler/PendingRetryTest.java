package dev.capstan.engine.scheduler;

import static dev.capstan.engine.scheduler.Objects.node;
import static dev.capstan.engine.scheduler.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.engine.controller.ControllerRunner;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.RunnerConfig;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A pending pod is retried when the cluster changes — a node added, a pod deleted — through the runner's
 * queue, not by polling: the fallback retry and the resync are ten minutes away, and the number of
 * scheduling passes stays small while the pod waits.
 */
class PendingRetryTest {
    private static final Duration FAR = Duration.ofMinutes(10);

    private static Pod get(HazelcastStateStore store, String name) {
        return store.get(Kinds.POD, "sched", name).orElseThrow();
    }

    @Test
    void aWaitingPodIsScheduledWhenANodeArrivesOrRoomIsFreed() throws Exception {
        try (HazelcastStateStore store = TestStores.start()) {
            Scheduler scheduler = new Scheduler(store, new EventRecorder(store, Scheduler.COMPONENT),
                    Profile.defaults(), Binder.of(store), FAR);
            try (ControllerRunner runner = new ControllerRunner(store, scheduler,
                    RunnerConfig.defaults().withWorkers(1).withResyncPeriod(FAR)).start()) {
                store.create(node("small", "1", "1Gi"));
                store.create(pod("first", "100m", "1Gi"));
                await().atMost(Duration.ofSeconds(30)).until(() -> "small".equals(get(store, "first").nodeName()));

                store.create(pod("big", "500m", "2Gi"));
                store.create(pod("second", "100m", "1Gi"));
                await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.pending().size() == 2);
                long passesWhileWaiting = runner.reconciles();
                Thread.sleep(2000); // nothing changes: at most the echoes of their own status writes
                assertThat(runner.reconciles() - passesWhileWaiting).as("no busy polling").isLessThanOrEqualTo(4);

                store.create(node("large", "4", "3Gi")); // a node added: both fit now, and fill it
                await().atMost(Duration.ofSeconds(30)).until(() -> "large".equals(get(store, "big").nodeName()));

                store.create(pod("third", "100m", "1Gi"));
                await().atMost(Duration.ofSeconds(30)).until(() -> get(store, "second").nodeName() != null
                        && scheduler.pending().contains("sched/third"));
                store.delete(Kinds.POD, "sched", "first", null); // room freed on small
                await().atMost(Duration.ofSeconds(30)).until(() -> get(store, "third").nodeName() != null);
                assertThat(scheduler.pending()).isEmpty();
            }
        }
    }
}
