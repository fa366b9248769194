package dev.capstan.node.proxy;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one service, over all its ports. Thread-safe. */
public final class ServiceCounters {
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong drained = new AtomicLong();

    /**
     * A snapshot. A proxier that does not track a figure gives -1 for it (the nftables proxy tracks connections
     * and dropped only).
     *
     * @param connections client connections accepted
     * @param active      client connections open now
     * @param failures    connection attempts to an endpoint that failed (each one failed over to the next)
     * @param dropped     client connections closed because no endpoint could be reached (or there was none)
     * @param drained     connections to a removed endpoint closed when its drain timeout ran out
     */
    public record Snapshot(long connections, long active, long failures, long dropped, long drained) {
    }

    void opened() {
        connections.incrementAndGet();
        active.incrementAndGet();
    }

    void closed() {
        active.decrementAndGet();
    }

    void failed() {
        failures.incrementAndGet();
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    void drained() {
        drained.incrementAndGet();
    }

    public Snapshot snapshot() {
        return new Snapshot(connections.get(), active.get(), failures.get(), dropped.get(), drained.get());
    }
}
