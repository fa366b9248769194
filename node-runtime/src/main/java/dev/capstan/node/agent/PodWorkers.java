package dev.capstan.node.agent;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs pod syncs side by side, at most one at a time per pod, without making a round wait for them (a
 * slow pod never holds up the others, and a new pod starts while others are still starting).
 *
 * <p>A sync works from a snapshot of the runtime (the round's container list). A snapshot taken before
 * the pod's previous sync ended may miss what that sync created, so such a sync is not run; the pod is
 * marked, and the end of any sync of a marked pod wakes the loop for a fresh round. Thread-safe.
 */
final class PodWorkers {
    private final ExecutorService pool;
    private final Runnable wake;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final Set<String> again = ConcurrentHashMap.newKeySet();
    /** By pod uid: System.nanoTime() when its last sync started and ended. */
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, Long> ended = new ConcurrentHashMap<>();

    PodWorkers(ExecutorService pool, Runnable wake) {
        this.pool = pool;
        this.wake = wake;
    }

    /**
     * Runs {@code sync} for the pod unless a sync of it is under way or ended after {@code snapshotNanos};
     * true when it was handed over.
     */
    boolean offer(String uid, long snapshotNanos, Runnable sync) {
        Long end = ended.get(uid);
        if (end != null && end - snapshotNanos >= 0) {
            again.add(uid);
            wake.run(); // the next round's snapshot is newer
            return false;
        }
        if (!busy.add(uid)) {
            again.add(uid);
            return false;
        }
        started.put(uid, System.nanoTime());
        try {
            pool.execute(() -> {
                try {
                    sync.run();
                } finally {
                    ended.put(uid, System.nanoTime());
                    busy.remove(uid);
                    if (again.remove(uid)) {
                        wake.run();
                    }
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            busy.remove(uid); // shutting down
            return false;
        }
    }

    /** Whether a sync of the pod is under way (its sandbox or containers may be changing). */
    boolean busy(String uid) {
        return busy.contains(uid);
    }

    /** Marks a pod to be looked at again once its sync under way ends. */
    void later(String uid) {
        again.add(uid);
        if (!busy.contains(uid) && again.remove(uid)) {
            wake.run();
        }
    }

    /** Whether the pod was handed to a worker at or after {@code nanos} (a list taken then may not show it yet). */
    boolean startedSince(String uid, long nanos) {
        Long s = started.get(uid);
        return busy.contains(uid) || s != null && s - nanos >= 0;
    }

    /** The pods handed over (or busy) since {@code nanos}: a list taken then may not show them or their sandboxes yet. */
    Set<String> startedSince(long nanos) {
        Set<String> out = new java.util.HashSet<>(busy);
        started.forEach((uid, t) -> {
            if (t - nanos >= 0) {
                out.add(uid);
            }
        });
        return out;
    }

    /** Whether this agent ever synced the pod. */
    boolean known(String uid) {
        return started.containsKey(uid);
    }

    /** Forgets pods that are gone (not listed, nothing running) and were not handed over since {@code nanos}. */
    void retain(Set<String> keep, long nanos) {
        started.keySet().removeIf(uid -> !keep.contains(uid) && !startedSince(uid, nanos));
        ended.keySet().retainAll(started.keySet());
    }
}
