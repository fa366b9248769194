package dev.capstan.engine.controller;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A work queue of keys, after client-go's {@code workqueue}: a key waits in the queue at most once however
 * often it is added; a key being processed is never handed to a second worker — added again meanwhile,
 * it is queued once more when {@link #done} is called. Delayed adds keep only the earliest pending time;
 * {@link #addRateLimited} delays by {@code base * 2^(failures-1)}, capped at {@code max}, until
 * {@link #forget}. Thread-safe.
 */
public final class WorkQueue implements AutoCloseable {
    private final Object lock = new Object();
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Map<String, Long> waitingUntil = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final long baseNanos;
    private final long maxNanos;
    private boolean shutDown;

    public WorkQueue(String name, Duration baseDelay, Duration maxDelay) {
        this.baseNanos = Math.max(1, baseDelay.toNanos());
        this.maxNanos = Math.max(baseNanos, maxDelay.toNanos());
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "capstan-" + name + "-queue-timer");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Queues the key unless it is already waiting. */
    public void add(String key) {
        synchronized (lock) {
            if (shutDown || !dirty.add(key)) {
                return;
            }
            if (!processing.contains(key)) {
                queue.addLast(key);
                lock.notify();
            }
        }
    }

    /** Queues the key after a delay; an earlier pending delayed add for the same key wins. */
    public void addAfter(String key, Duration delay) {
        long nanos = delay.toNanos();
        if (nanos <= 0) {
            add(key);
            return;
        }
        long at = System.nanoTime() + nanos;
        synchronized (lock) {
            if (shutDown) {
                return;
            }
            Long pending = waitingUntil.get(key);
            if (pending != null && pending - at <= 0) {
                return;
            }
            waitingUntil.put(key, at);
        }
        timer.schedule(() -> {
            synchronized (lock) {
                Long pending = waitingUntil.get(key);
                if (pending == null || pending != at) {
                    return;
                }
                waitingUntil.remove(key);
            }
            add(key);
        }, nanos, TimeUnit.NANOSECONDS);
    }

    /** Queues the key after its back-off and counts one more failure for it. */
    public void addRateLimited(String key) {
        addAfter(key, Duration.ofNanos(backoff(key, true)));
    }

    /** The delay the next {@link #addRateLimited} would use, without counting a failure. */
    public Duration nextBackoff(String key) {
        return Duration.ofNanos(backoff(key, false));
    }

    private long backoff(String key, boolean count) {
        int n;
        synchronized (lock) {
            n = count ? failures.merge(key, 1, Integer::sum) : failures.getOrDefault(key, 0) + 1;
        }
        int shift = Math.min(n - 1, 40);
        long d = baseNanos << shift;
        return d <= 0 || d > maxNanos || (d >> shift) != baseNanos ? maxNanos : d;
    }

    /** Clears the key's failure count: it succeeded. */
    public void forget(String key) {
        synchronized (lock) {
            failures.remove(key);
        }
    }

    public int failures(String key) {
        synchronized (lock) {
            return failures.getOrDefault(key, 0);
        }
    }

    /** Blocks for the next key and marks it processing; null once the queue is shut down. */
    public String take() throws InterruptedException {
        synchronized (lock) {
            while (queue.isEmpty() && !shutDown) {
                lock.wait();
            }
            if (shutDown) {
                return null;
            }
            String key = queue.pollFirst();
            processing.add(key);
            dirty.remove(key);
            return key;
        }
    }

    /** Ends processing of a key; when it was added meanwhile it is queued again. */
    public void done(String key) {
        synchronized (lock) {
            processing.remove(key);
            if (dirty.contains(key) && !shutDown) {
                queue.addLast(key);
                lock.notify();
            }
        }
    }

    /** Keys waiting to be taken (not counting delayed or processing ones). */
    public int length() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** True when nothing is queued, processing or waiting on a delay. */
    public boolean isIdle() {
        synchronized (lock) {
            return queue.isEmpty() && processing.isEmpty() && waitingUntil.isEmpty();
        }
    }

    /** Stops handing out keys; {@link #take} returns null from now on. Idempotent. */
    public void shutDown() {
        synchronized (lock) {
            shutDown = true;
            lock.notifyAll();
        }
        timer.shutdownNow();
    }

    @Override
    public void close() {
        shutDown();
    }
}
