package dev.capstan.engine.scheduler;

import dev.capstan.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds room for a pod that fits nowhere by evicting pods of lower priority, after Kubernetes'
 * DefaultPreemption. For every node the pod was rejected from with a resolvable status (resources,
 * anti-affinity, spread — not taints, labels or readiness): take out every pod of lower priority; if the
 * pod still does not fit, the node is no candidate; otherwise put victims back, highest priority first,
 * keeping out only those the pod cannot fit without. The chosen node has the fewest victims, then the
 * lowest highest-victim priority, then the lowest priority sum, then the first name. Computes only: the
 * scheduler deletes the victims. Call while holding the cache; it is left exactly as it was found.
 */
public final class Preemption {

    /** A node and the pods to evict there, lowest priority first. */
    public record Candidate(String node, List<PodInfo> victims) {
        int maxPriority() {
            return victims.stream().mapToInt(PodInfo::priority).max().orElse(Integer.MIN_VALUE);
        }

        long prioritySum() {
            return victims.stream().mapToLong(PodInfo::priority).sum();
        }
    }

    private static final Comparator<Candidate> BEST = Comparator.<Candidate>comparingInt(c -> c.victims().size())
            .thenComparingInt(Candidate::maxPriority)
            .thenComparingLong(Candidate::prioritySum)
            .thenComparing(Candidate::node);

    private Preemption() {
    }

    /** The best candidate, or null when no eviction of lower-priority pods makes the pod fit. */
    public static Candidate find(Pod pod, Profile profile, SchedulerCache cache, Decision failed) {
        int priority = PodInfo.priorityOf(pod);
        Candidate best = null;
        for (Map.Entry<String, Status> r : failed.rejections().entrySet()) {
            if (r.getValue().code() != Status.Code.UNSCHEDULABLE) {
                continue;
            }
            Candidate c = candidate(pod, priority, r.getKey(), profile, cache);
            if (c != null && (best == null || BEST.compare(c, best) < 0)) {
                best = c;
            }
        }
        return best;
    }

    private static Candidate candidate(Pod pod, int priority, String node, Profile profile, SchedulerCache cache) {
        List<PodInfo> lower = new ArrayList<>();
        for (PodInfo p : cache.podsOn(node)) {
            if (p.priority() < priority) {
                lower.add(p);
            }
        }
        if (lower.isEmpty()) {
            return null;
        }
        lower.sort(Comparator.comparingInt(PodInfo::priority).thenComparing(PodInfo::key));
        lower.forEach(cache::hide);
        List<PodInfo> victims = new ArrayList<>();
        try {
            if (!fits(pod, node, profile, cache)) {
                return null;
            }
            for (int i = lower.size() - 1; i >= 0; i--) { // reprieve the most important first
                PodInfo p = lower.get(i);
                cache.restore(p);
                if (!fits(pod, node, profile, cache)) {
                    cache.hide(p);
                    victims.add(0, p);
                }
            }
            return new Candidate(node, List.copyOf(victims));
        } finally {
            for (PodInfo p : lower) {
                if (!cache.contains(p.key())) {
                    cache.restore(p);
                }
            }
        }
    }

    private static boolean fits(Pod pod, String node, Profile profile, SchedulerCache cache) {
        NodeInfo info = cache.nodeInfo(node);
        return info != null && profile.filter(pod, cache, info).isSuccess();
    }
}
