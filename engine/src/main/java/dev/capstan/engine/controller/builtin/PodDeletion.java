package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.store.StateStore;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.Times;
import java.time.Clock;
import java.time.Instant;

/**
 * Deleting pods as Kubernetes does. <b>Graceful</b>: a pod bound to a node ({@code spec.nodeName} set)
 * is only marked, with {@code metadata.deletionTimestamp} = now + {@code terminationGracePeriodSeconds}
 * (default 30 s); the node agent sees the mark, stops the containers within that grace period and then
 * deletes the object. A pod bound to no node has nothing running and is deleted at once (conditional on
 * the resourceVersion read, so a pod bound meanwhile is marked on the next try instead). <b>Forced</b>:
 * the object is removed whatever its node — only for nodes whose agent is gone.
 */
public final class PodDeletion {
    /** Kubernetes' default terminationGracePeriodSeconds. */
    public static final long DEFAULT_GRACE_SECONDS = 30;

    private PodDeletion() {
    }

    /** Live: counts towards replicas — not Succeeded or Failed, and not being deleted. */
    public static boolean isLive(Pod p) {
        return !p.isTerminal() && !isTerminating(p);
    }

    public static boolean isTerminating(Pod p) {
        return p.metadata().deletionTimestamp() != null;
    }

    /**
     * Marks a bound pod for deletion or deletes an unbound one. Returns false when there was nothing to do
     * (already marked, or already gone). Throws {@link dev.capstan.engine.store.ConflictException} when the
     * pod changed since it was read.
     */
    public static boolean deleteGracefully(StateStore store, Pod pod, Clock clock) {
        ObjectMeta m = pod.metadata();
        if (pod.nodeName() == null || pod.nodeName().isEmpty()) {
            return store.delete(Kinds.POD, m.namespace(), m.name(), m.resourceVersion());
        }
        if (m.deletionTimestamp() != null) {
            return false;
        }
        long grace = pod.spec().terminationGracePeriodSeconds() == null
                ? DEFAULT_GRACE_SECONDS : Math.max(0, pod.spec().terminationGracePeriodSeconds());
        Instant at = clock.instant().plusSeconds(grace);
        store.update(pod.withMetadata(m.withDeletionTimestamp(Times.format(at))));
        return true;
    }

    /** Removes the pod object now, whatever its node. Returns false when it was already gone. */
    public static boolean forceDelete(StateStore store, Pod pod) {
        return store.delete(Kinds.POD, pod.metadata().namespace(), pod.metadata().name(), null);
    }
}
