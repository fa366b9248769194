package dev.capstan.engine.controller.builtin;

import dev.capstan.model.Deployment;
import dev.capstan.model.ReplicaSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of a rolling update, as Kubernetes' deployment controller does it, without any I/O:
 * how far the new ReplicaSet may grow (never beyond {@code replicas + maxSurge} pods in all) and how far
 * the old ones may shrink (never below {@code replicas - maxUnavailable} available pods).
 */
final class RollingUpdate {
    /** Kubernetes' default for both maxSurge and maxUnavailable. */
    static final String DEFAULT = "25%";

    private RollingUpdate() {
    }

    /** maxSurge and maxUnavailable resolved against {@code replicas}; never both zero. */
    record Limits(int maxSurge, int maxUnavailable) {
        static Limits of(Deployment.Spec spec) {
            Deployment.RollingUpdate ru = spec.strategy() == null ? null : spec.strategy().rollingUpdate();
            int replicas = spec.replicas();
            int surge = resolve(ru == null ? null : ru.maxSurge(), replicas, true);
            int unavailable = resolve(ru == null ? null : ru.maxUnavailable(), replicas, false);
            if (surge == 0 && unavailable == 0) {
                unavailable = 1;
            }
            return new Limits(surge, unavailable);
        }
    }

    /** A count ("1") or a percentage of replicas ("25%", rounded up for surge, down for unavailable). */
    static int resolve(String value, int replicas, boolean roundUp) {
        String v = value == null || value.isBlank() ? DEFAULT : value.trim();
        try {
            if (v.endsWith("%")) {
                int pct = Integer.parseInt(v.substring(0, v.length() - 1).trim());
                int scaled = pct * replicas;
                return Math.max(0, roundUp ? (scaled + 99) / 100 : scaled / 100);
            }
            return Math.max(0, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a count or percentage: '" + value + "' (expected e.g. 1 or 25%)");
        }
    }

    static int specReplicas(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(rs -> rs.spec().replicas()).sum();
    }

    static int available(ReplicaSet rs) {
        return rs.status() == null ? 0 : rs.status().availableReplicas();
    }

    /** The size the new ReplicaSet should have now. */
    static int newReplicas(int replicas, Limits limits, ReplicaSet newRs, List<ReplicaSet> all) {
        int current = newRs.spec().replicas();
        if (current >= replicas) {
            return replicas;
        }
        int maxTotal = replicas + limits.maxSurge();
        int scaleUp = Math.min(maxTotal - specReplicas(all), replicas - current);
        return current + Math.max(0, scaleUp);
    }

    /**
     * New sizes for the old ReplicaSets (oldest first): first their unavailable pods go, then available
     * ones while more than {@code replicas - maxUnavailable} pods are available. Only changed sets are returned.
     */
    static Map<ReplicaSet, Integer> scaleDownOld(int replicas, Limits limits, ReplicaSet newRs, List<ReplicaSet> old) {
        Map<ReplicaSet, Integer> sizes = new LinkedHashMap<>();
        old.forEach(rs -> sizes.put(rs, rs.spec().replicas()));
        int oldCount = specReplicas(old);
        if (oldCount == 0) {
            return Map.of();
        }
        int all = oldCount + newRs.spec().replicas();
        int minAvailable = replicas - limits.maxUnavailable();
        int newUnavailable = Math.max(0, newRs.spec().replicas() - available(newRs));
        int maxScaledDown = all - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return Map.of();
        }
        int scaledDown = 0;
        for (ReplicaSet rs : old) {
            int size = sizes.get(rs);
            int unhealthy = size - Math.min(size, available(rs));
            if (scaledDown >= maxScaledDown) {
                break;
            }
            if (size == 0 || unhealthy == 0) {
                continue;
            }
            int down = Math.min(maxScaledDown - scaledDown, unhealthy);
            sizes.put(rs, size - down);
            scaledDown += down;
        }
        int availableNow = available(newRs) + old.stream().mapToInt(RollingUpdate::available).sum();
        int canRemove = availableNow - minAvailable;
        int removed = 0;
        for (ReplicaSet rs : old) {
            int size = sizes.get(rs);
            if (removed >= canRemove || scaledDown + removed >= maxScaledDown) {
                break;
            }
            if (size == 0) {
                continue;
            }
            int down = Math.min(size, Math.min(canRemove - removed, maxScaledDown - scaledDown - removed));
            sizes.put(rs, size - down);
            removed += down;
        }
        Map<ReplicaSet, Integer> changed = new LinkedHashMap<>();
        sizes.forEach((rs, size) -> {
            if (size != rs.spec().replicas()) {
                changed.put(rs, size);
            }
        });
        return changed;
    }

    /**
     * Proportional scaling (Kubernetes' {@code scale} during a rollout): the Deployment's size changed while
     * more than one ReplicaSet has pods, so the difference between {@code replicas + maxSurge} and the pods
     * asked for now is shared out in proportion to each active set's size, the rest (rounding) to the
     * largest set — newest first when growing, oldest first when shrinking. Returns the new size of every
     * active set whose size changes; {@code active} is oldest first.
     */
    static Map<ReplicaSet, Integer> proportional(int replicas, Limits limits, List<ReplicaSet> active) {
        int total = specReplicas(active);
        int allowed = replicas > 0 ? replicas + limits.maxSurge() : 0;
        int toAdd = allowed - total;
        if (toAdd == 0 || total == 0) {
            return Map.of();
        }
        List<ReplicaSet> order = new java.util.ArrayList<>(active);
        if (toAdd > 0) {
            java.util.Collections.reverse(order); // newest first among equal sizes
        }
        order.sort(java.util.Comparator.comparingInt((ReplicaSet rs) -> rs.spec().replicas()).reversed());
        Map<ReplicaSet, Integer> sizes = new LinkedHashMap<>();
        int added = 0;
        for (ReplicaSet rs : order) {
            int size = rs.spec().replicas();
            int share = (int) Math.round((double) size * toAdd / total);
            share = toAdd > 0 ? Math.min(share, toAdd - added) : Math.max(Math.max(share, toAdd - added), -size);
            sizes.put(rs, size + share);
            added += share;
        }
        if (added != toAdd) {
            ReplicaSet first = order.get(0);
            sizes.put(first, Math.max(0, sizes.get(first) + toAdd - added));
        }
        Map<ReplicaSet, Integer> changed = new LinkedHashMap<>();
        sizes.forEach((rs, size) -> {
            if (size != rs.spec().replicas()) {
                changed.put(rs, size);
            }
        });
        return changed;
    }
}
