package dev.capstan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PodWorkersTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final AtomicInteger wakes = new AtomicInteger();
    private final PodWorkers workers = new PodWorkers(pool, wakes::incrementAndGet);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aPodIsSyncedOnceAtATimeAndLookedAtAgainWhenItsSyncEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        assertThat(workers.offer("a", System.nanoTime(), () -> {
            await(release);
            done.countDown();
        })).isTrue();
        assertThat(workers.busy("a")).isTrue();
        assertThat(workers.offer("a", System.nanoTime(), () -> { })).as("already under way").isFalse();
        assertThat(workers.startedSince(System.nanoTime())).contains("a");
        release.countDown();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        org.awaitility.Awaitility.await().until(() -> !workers.busy("a"));
        assertThat(wakes.get()).as("the skipped round is made up").isEqualTo(1);
    }

    @Test
    void aSnapshotTakenBeforeThePodsLastSyncEndedIsNotUsed() throws Exception {
        long before = System.nanoTime();
        CountDownLatch done = new CountDownLatch(1);
        workers.offer("a", before, done::countDown);
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        org.awaitility.Awaitility.await().until(() -> !workers.busy("a"));
        AtomicInteger ran = new AtomicInteger();
        assertThat(workers.offer("a", before, ran::incrementAndGet)).as("stale snapshot").isFalse();
        assertThat(wakes.get()).as("a fresh round is asked for").isEqualTo(1);
        assertThat(workers.offer("a", System.nanoTime(), ran::incrementAndGet)).isTrue();
        org.awaitility.Awaitility.await().until(() -> ran.get() == 1);
        assertThat(workers.known("a")).isTrue();
        workers.retain(java.util.Set.of(), System.nanoTime());
        assertThat(workers.known("a")).as("forgotten once gone").isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
