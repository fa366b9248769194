package dev.capstan.engine.store;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps reconciles and atomic batches of one store apart within this process: a
 * {@link dev.capstan.engine.controller.ControllerRunner} runs each reconcile {@link #shared() shared} and
 * {@link StateStore#commit} writes {@link #exclusive}, so no reconcile ever starts while a batch is being
 * committed or runs across one; it reads the state before the batch or the state after it, never a part.
 * Fair: a waiting batch is not starved by a stream of reconciles.
 */
public final class ReconcileGate {
    /** The gate of stores without batches: never closed. */
    public static final ReconcileGate UNUSED = new ReconcileGate();

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);

    /** Enters for a reconcile (waits while a batch commits); close the handle when the reconcile returns. */
    public Held shared() {
        lock.readLock().lock();
        return () -> lock.readLock().unlock();
    }

    /** A held gate. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Runs a batch commit; waits until running reconciles finish and lets no new one start until it returns. */
    public <T> T exclusive(Supplier<T> commit) {
        if (lock.getReadHoldCount() > 0) {
            throw new IllegalStateException("an atomic batch cannot be committed from inside a reconcile "
                    + "(it would wait for itself)");
        }
        lock.writeLock().lock();
        try {
            return commit.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
