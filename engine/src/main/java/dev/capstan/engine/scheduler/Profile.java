package dev.capstan.engine.scheduler;

import dev.capstan.engine.scheduler.plugins.LeastAllocated;
import dev.capstan.engine.scheduler.plugins.NodeReady;
import dev.capstan.engine.scheduler.plugins.NodeResourcesFit;
import dev.capstan.engine.scheduler.plugins.NodeSelector;
import dev.capstan.engine.scheduler.plugins.NodeUnschedulable;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One scheduling profile: filter plugins, then score plugins, then a pick. Every node runs the filters in
 * order and stops at the first failure (recorded with the plugin's name); feasible nodes are scored and
 * the highest total wins; equal totals go to the node with the fewest pods of the same owner (spreading
 * replicas), then the fewest pods, then the first name. Pure: no I/O, no state.
 */
public final class Profile {
    private final List<FilterPlugin> filters;
    private final List<ScorePlugin> scores;

    public Profile(List<FilterPlugin> filters, List<ScorePlugin> scores) {
        this.filters = List.copyOf(filters);
        this.scores = List.copyOf(scores);
    }

    /** NodeReady, NodeUnschedulable, NodeSelector, NodeResourcesFit; scored by LeastAllocated. */
    public static Profile defaults() {
        return new Profile(List.of(new NodeReady(), new NodeUnschedulable(), new NodeSelector(),
                new NodeResourcesFit()), List.of(new LeastAllocated()));
    }

    public List<FilterPlugin> filters() {
        return filters;
    }

    public List<ScorePlugin> scores() {
        return scores;
    }

    public Decision schedule(Pod pod, List<NodeInfo> nodes) {
        Map<String, Status> rejections = new HashMap<>();
        Map<NodeInfo, Long> totals = new HashMap<>();
        for (NodeInfo n : nodes) {
            Status s = filter(pod, n);
            if (s.isSuccess()) {
                totals.put(n, score(pod, n));
            } else {
                rejections.put(n.name(), s);
            }
        }
        OwnerReference owner = pod.metadata().controller();
        String ownerUid = owner == null ? null : owner.uid();
        NodeInfo best = totals.entrySet().stream()
                .sorted(Map.Entry.<NodeInfo, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(e -> e.getKey().podsOf(ownerUid))
                        .thenComparing(e -> e.getKey().podCount())
                        .thenComparing(e -> e.getKey().name()))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        return new Decision(best == null ? null : best.name(), nodes.size(), rejections);
    }

    /** The first failing filter's status (with its name), or success. */
    public Status filter(Pod pod, NodeInfo node) {
        for (FilterPlugin f : filters) {
            Status s;
            try {
                s = f.filter(pod, node);
            } catch (RuntimeException e) {
                s = Status.error(f.name() + " failed: " + e.getMessage());
            }
            if (!s.isSuccess()) {
                return s.withPlugin(f.name());
            }
        }
        return Status.success();
    }

    private long score(Pod pod, NodeInfo node) {
        long total = 0;
        for (ScorePlugin p : scores) {
            int s = Math.max(ScorePlugin.MIN_SCORE, Math.min(ScorePlugin.MAX_SCORE, p.score(pod, node)));
            total += (long) p.weight() * s;
        }
        return total;
    }
}
