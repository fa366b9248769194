package dev.capstan.engine.controller;

import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.ReconcileGate;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.StoreException;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Controller}: its watches only enqueue keys into a {@link WorkQueue}; {@code workers}
 * threads take keys and call {@link Reconciler#reconcile}; the {@link Result} (or an exception) decides
 * whether and when the key comes back. All keys are enqueued at start (after the watches are open, so
 * nothing falls between list and watch) and again every resync period. Reconciles run inside the store's
 * {@link ReconcileGate} unless the controller {@linkplain Controller#waitsForCommits() opts out}, so they never
 * see part of an atomic batch.
 */
public final class ControllerRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerRunner.class);

    private final StateStore store;
    private final Controller controller;
    private final RunnerConfig config;
    private final WorkQueue queue;
    private final List<Watch> watches = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong reconciles = new AtomicLong();
    private final ScheduledExecutorService resync;
    private volatile boolean started;
    private volatile boolean closed;

    public ControllerRunner(StateStore store, Controller controller, RunnerConfig config) {
        this.store = store;
        this.controller = controller;
        this.config = config;
        this.queue = new WorkQueue(controller.name(), config.retryBaseDelay(), config.retryMaxDelay());
        this.resync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "capstan-" + controller.name() + "-resync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens the watches, starts the workers and the resync. Call once. */
    public synchronized ControllerRunner start() {
        if (started || closed) {
            throw new IllegalStateException(controller.name() + " runner already started or closed");
        }
        started = true;
        controller.watches(new Controller.Watches() {
            @Override
            public <T extends KubeObject> void on(Kind<T> kind, Function<WatchEvent<T>, Collection<String>> keys) {
                watches.add(store.watch(kind, event -> {
                    for (String key : keys.apply(event)) {
                        queue.add(key);
                    }
                }));
            }
        });
        for (int i = 0; i < config.workers(); i++) {
            Thread t = new Thread(this::work, "capstan-" + controller.name() + "-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        long period = config.resyncPeriod().toMillis();
        resync.scheduleWithFixedDelay(this::resyncNow, 0, period, TimeUnit.MILLISECONDS);
        LOG.debug("{} controller started with {} workers", controller.name(), config.workers());
        return this;
    }

    /** Enqueues every key of the controller now. */
    public void resyncNow() {
        try {
            for (String key : controller.resyncKeys()) {
                queue.add(key);
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("{}: resync failed: {}", controller.name(), e.toString());
            }
        }
    }

    /** The queue, for callers that want to enqueue a key themselves. */
    public WorkQueue queue() {
        return queue;
    }

    public Controller controller() {
        return controller;
    }

    /** How many reconciles have finished, for tests and metrics. */
    public long reconciles() {
        return reconciles.get();
    }

    private void work() {
        while (true) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            try {
                Result result;
                if (controller.waitsForCommits()) {
                    try (ReconcileGate.Held held = store.gate().shared()) {
                        result = controller.reconcile(key);
                    }
                } else {
                    result = controller.reconcile(key);
                }
                apply(key, result);
            } catch (ConflictException e) {
                LOG.debug("{} {}: conflict, retrying: {}", controller.name(), key, e.getMessage());
                queue.addRateLimited(key);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failed(key, e);
            } finally {
                reconciles.incrementAndGet();
                queue.done(key);
            }
        }
    }

    private void apply(String key, Result result) {
        switch (result.type()) {
            case DONE -> queue.forget(key);
            case REQUEUE_AFTER -> {
                queue.forget(key);
                queue.addAfter(key, result.delay());
            }
            case RETRY -> {
                LOG.debug("{} {}: retry: {}", controller.name(), key, result.reason());
                queue.addRateLimited(key);
            }
            default -> throw new IllegalStateException(result.type().toString());
        }
    }

    private void failed(String key, Exception e) {
        if (closed) {
            return;
        }
        int n = queue.failures(key) + 1;
        String next = queue.nextBackoff(key).toMillis() + " ms";
        if (e instanceof StoreException) {
            LOG.warn("{} {}: {} (failure {}, retry in {})", controller.name(), key, e.getMessage(), n, next);
        } else if (n == 1) {
            LOG.warn("{} {}: reconcile failed (retry in {})", controller.name(), key, next, e);
        } else {
            LOG.warn("{} {}: {} (failure {}, retry in {})", controller.name(), key, e, n, next);
        }
        queue.addRateLimited(key);
    }

    /** Closes the watches, stops the workers (waiting briefly for running reconciles) and the resync. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Watch w : watches) {
            w.close();
        }
        resync.shutdownNow();
        queue.shutDown();
        for (Thread t : workers) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
    }
}
