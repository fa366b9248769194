package dev.capstan.engine.controller;

import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.util.Collection;
import java.util.function.Function;

/**
 * A {@link Reconciler} together with what feeds its queue: the watches that turn store events into keys,
 * and the full list of keys for the periodic resync. {@link ControllerRunner} runs it.
 */
public interface Controller extends Reconciler {

    /** Short name for threads, logs and events, e.g. {@code replicaset}. */
    String name();

    /**
     * Declares the watches. Each handler maps an event to the keys to enqueue; it runs on a store thread,
     * so it must not block or write to the store (in-memory bookkeeping is fine).
     */
    void watches(Watches watches);

    /** Every key this controller is responsible for; enqueued at start and on every resync. May read the store. */
    Collection<String> resyncKeys();

    /**
     * Whether each reconcile waits for atomic batches ({@link dev.capstan.engine.store.StateStore#commit}) to
     * finish, so that it never reads part of one (default: yes). Only a controller whose reconcile itself waits
     * for the writer of those batches answers no, or the two would wait for each other.
     */
    default boolean waitsForCommits() {
        return true;
    }

    /** Where a controller declares its watches. */
    interface Watches {
        <T extends KubeObject> void on(Kind<T> kind, Function<WatchEvent<T>, Collection<String>> keys);
    }
}
