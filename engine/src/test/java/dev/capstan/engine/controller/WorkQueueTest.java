package dev.capstan.engine.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final WorkQueue queue = new WorkQueue("test", Duration.ofMillis(10), Duration.ofMillis(80));

    @AfterEach
    void shutDown() {
        queue.shutDown();
    }

    @Test
    void aKeyWaitsInTheQueueOnlyOnce() throws Exception {
        queue.add("a");
        queue.add("b");
        queue.add("a");

        assertThat(queue.length()).isEqualTo(2);
        assertThat(queue.take()).isEqualTo("a");
        assertThat(queue.take()).isEqualTo("b");
    }

    @Test
    void aKeyAddedWhileProcessingIsHandedOutAgainOnlyAfterDone() throws Exception {
        queue.add("a");
        String key = queue.take();
        queue.add("a");
        queue.add("a");

        assertThat(queue.length()).isZero();
        queue.done(key);
        assertThat(queue.length()).isEqualTo(1);
        assertThat(queue.take()).isEqualTo("a");
        queue.done("a");
        assertThat(queue.isIdle()).isTrue();
    }

    @Test
    void noKeyIsEverProcessedByTwoWorkersAtOnce() throws Exception {
        ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicBoolean overlap = new AtomicBoolean();
        AtomicInteger processed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    String k;
                    while ((k = queue.take()) != null) {
                        if (inFlight.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet() > 1) {
                            overlap.set(true);
                        }
                        Thread.sleep(1);
                        inFlight.get(k).decrementAndGet();
                        processed.incrementAndGet();
                        queue.done(k);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            workers.add(t);
        }
        for (int i = 0; i < 2000; i++) {
            queue.add("k" + (i % 3));
        }
        await().atMost(Duration.ofSeconds(5)).until(queue::isIdle);
        queue.shutDown();
        for (Thread t : workers) {
            t.join(1000);
        }

        assertThat(overlap).isFalse();
        assertThat(processed.get()).isBetween(3, 2000);
    }

    @Test
    void delayedAddsArriveLaterAndTheEarliestWins() throws Exception {
        queue.addAfter("a", Duration.ofSeconds(30));
        queue.addAfter("a", Duration.ofMillis(20));
        assertThat(queue.length()).isZero();

        long start = System.nanoTime();
        assertThat(queue.take()).isEqualTo("a");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        queue.done("a");
        queue.addAfter("b", Duration.ZERO);
        assertThat(queue.length()).isEqualTo(1);
    }

    @Test
    void backOffDoublesPerFailureUpToTheCapUntilForgotten() {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(queue.nextBackoff("k").toMillis());
            queue.addRateLimited("k");
        }

        assertThat(delays).containsExactly(10L, 20L, 40L, 80L, 80L, 80L);
        assertThat(queue.failures("k")).isEqualTo(6);
        queue.forget("k");
        assertThat(queue.failures("k")).isZero();
        assertThat(queue.nextBackoff("k")).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void takeReturnsNullOnceShutDown() throws Exception {
        Thread t = new Thread(queue::shutDown);
        t.start();
        assertThat(queue.take()).isNull();
        queue.add("late");
        assertThat(queue.length()).isZero();
    }
}
