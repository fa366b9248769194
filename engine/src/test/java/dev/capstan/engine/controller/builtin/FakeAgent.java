package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Condition;
import dev.capstan.model.Kinds;
import dev.capstan.model.Lease;
import dev.capstan.model.Pod;
import dev.capstan.model.Times;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plays a node agent against the store, every 100 ms: renews its lease, starts the pods bound to it
 * (Running, Ready, hostIP 127.0.0.1) and finishes their graceful deletion (deletes pods marked with a
 * deletionTimestamp). {@link #kill()} stops it dead, leaving node and lease behind.
 */
final class FakeAgent implements AutoCloseable {
    private final StateStore store;
    private final String node;
    private final ScheduledFuture<?> loop;

    FakeAgent(StateStore store, String node, ScheduledExecutorService timer) {
        this.store = store;
        this.node = node;
        store.create(Fixtures.node(node, "4", "8Gi", true));
        store.create(Fixtures.lease(node, Instant.now()));
        this.loop = timer.scheduleWithFixedDelay(this::tick, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            Lease l = store.get(Kinds.LEASE, Lease.NODE_LEASE_NAMESPACE, node).orElseThrow();
            store.update(l.withSpec(new Lease.Spec(node, 10, l.spec().acquireTime(), Times.nowMicro())));
            for (Pod p : store.list(Kinds.POD, null)) {
                if (!node.equals(p.nodeName())) {
                    continue;
                }
                if (p.metadata().deletionTimestamp() != null) {
                    store.delete(Kinds.POD, p.metadata().namespace(), p.metadata().name(), null);
                } else if (!p.isTerminal() && !p.isReady()) {
                    store.update(p.withStatus(new Pod.Status(Pod.RUNNING, List.of(
                            Condition.of("PodScheduled", true, null, null), Condition.of("Ready", true, null, null)),
                            null, null, "127.0.0.1", null, Times.now(), null)));
                }
            }
        } catch (StoreException | java.util.NoSuchElementException raced) {
            // someone wrote first, or the store is closing: next tick
        }
    }

    /** The agent dies: no more lease renewals, nothing done for its pods. */
    void kill() {
        loop.cancel(false);
    }

    @Override
    public void close() {
        kill();
    }
}
