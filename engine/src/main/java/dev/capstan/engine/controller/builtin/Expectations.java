package dev.capstan.engine.controller.builtin;

import dev.capstan.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a controller has asked for and not yet seen, after Kubernetes' controller expectations, but
 * tracking names and uids rather than counts: the pods it created (by name) and the pods it deleted (by
 * uid). While anything is outstanding the controller must not create or delete again, so a stale read can
 * never make it act twice. An expectation is met when the listed pods show it; all of a key's
 * expectations lapse after a timeout, in case a pod came and went unseen. Thread-safe.
 */
final class Expectations {
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, Pending> pending = new HashMap<>();

    private static final class Pending {
        final Set<String> creates = new HashSet<>();
        final Set<String> deletes = new HashSet<>();
        Instant since;
    }

    Expectations(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    synchronized void expectCreation(String key, String podName) {
        entry(key).creates.add(podName);
    }

    synchronized void expectDeletion(String key, String podUid) {
        entry(key).deletes.add(podUid);
    }

    /** A watch saw the pod go away: it will never be listed, so stop waiting for it. */
    synchronized void observeGone(String key, Pod pod) {
        Pending p = pending.get(key);
        if (p != null) {
            p.creates.remove(pod.metadata().name());
            p.deletes.remove(pod.metadata().uid());
        }
    }

    /**
     * Checks the expectations of {@code key} against the pods it owns as just listed; returns true when
     * none is outstanding (or they timed out), and forgets the met ones.
     */
    synchronized boolean satisfied(String key, Collection<Pod> owned) {
        Pending p = pending.get(key);
        if (p == null) {
            return true;
        }
        Set<String> names = new HashSet<>();
        Set<String> present = new HashSet<>();
        for (Pod pod : owned) {
            names.add(pod.metadata().name());
            if (pod.metadata().deletionTimestamp() == null) {
                present.add(pod.metadata().uid());
            }
        }
        p.creates.removeIf(names::contains);
        p.deletes.removeIf(uid -> !present.contains(uid));
        if ((p.creates.isEmpty() && p.deletes.isEmpty())
                || Duration.between(p.since, clock.instant()).compareTo(timeout) > 0) {
            pending.remove(key);
            return true;
        }
        return false;
    }

    synchronized String describe(String key) {
        Pending p = pending.get(key);
        return p == null ? "nothing" : p.creates.size() + " creation(s) and " + p.deletes.size() + " deletion(s)";
    }

    synchronized void forget(String key) {
        pending.remove(key);
    }

    private Pending entry(String key) {
        Pending p = pending.computeIfAbsent(key, k -> new Pending());
        if (p.creates.isEmpty() && p.deletes.isEmpty()) {
            p.since = clock.instant();
        }
        return p;
    }
}
