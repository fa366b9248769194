package dev.capstan.engine.scheduler;

import dev.capstan.engine.scheduler.plugins.InterPodAffinity;
import dev.capstan.engine.scheduler.plugins.LeastAllocated;
import dev.capstan.engine.scheduler.plugins.MostAllocated;
import dev.capstan.engine.scheduler.plugins.NodeAffinity;
import dev.capstan.engine.scheduler.plugins.NodeReady;
import dev.capstan.engine.scheduler.plugins.NodeResourcesFit;
import dev.capstan.engine.scheduler.plugins.NodeSelector;
import dev.capstan.engine.scheduler.plugins.NodeUnschedulable;
import dev.capstan.engine.scheduler.plugins.PodTopologySpread;
import dev.capstan.engine.scheduler.plugins.TaintToleration;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One scheduling profile: filter plugins, then score plugins, then a pick. Each plugin is first prepared
 * for the pod (its PreFilter step); every node then runs the filters in order and stops at the first
 * failure (recorded with the plugin's name); feasible nodes are scored and the highest total wins; equal
 * totals go to the node with the fewest pods of the same owner (spreading replicas), then the fewest pods,
 * then the first name (the first in the node list, which is ordered by name). As in Kubernetes ({@code percentageOfNodesToScore}), large clusters stop looking
 * once enough feasible nodes were found, starting where the previous cycle stopped; a pod that fits
 * nowhere has still seen every node. Pure: no I/O, no state.
 */
public final class Profile {
    /** Kubernetes' floor: at least this many feasible nodes are looked for before stopping early. */
    public static final int MIN_FEASIBLE_NODES = 100;

    private final List<FilterPlugin> filters;
    private final List<ScorePlugin> scores;

    public Profile(List<FilterPlugin> filters, List<ScorePlugin> scores) {
        this.filters = List.copyOf(filters);
        this.scores = List.copyOf(scores);
    }

    /** The default profile, spreading by resources (LeastAllocated). */
    public static Profile defaults() {
        return defaults(ScoringStrategy.LEAST_ALLOCATED);
    }

    /**
     * Filters NodeReady, NodeUnschedulable, NodeSelector, NodeAffinity, TaintToleration, NodeResourcesFit,
     * PodTopologySpread, InterPodAffinity; scores the resource strategy, NodeAffinity, TaintToleration,
     * PodTopologySpread and InterPodAffinity.
     */
    public static Profile defaults(ScoringStrategy strategy) {
        NodeAffinity nodeAffinity = new NodeAffinity();
        TaintToleration taints = new TaintToleration();
        PodTopologySpread spread = new PodTopologySpread();
        InterPodAffinity podAffinity = new InterPodAffinity();
        ScorePlugin resources = strategy == ScoringStrategy.MOST_ALLOCATED ? new MostAllocated() : new LeastAllocated();
        return new Profile(List.of(new NodeReady(), new NodeUnschedulable(), new NodeSelector(), nodeAffinity, taints,
                new NodeResourcesFit(), spread, podAffinity),
                List.of(resources, nodeAffinity, taints, spread, podAffinity));
    }

    public List<FilterPlugin> filters() {
        return filters;
    }

    public List<ScorePlugin> scores() {
        return scores;
    }

    /** Schedules over these nodes alone, as if no pods were bound (for tests of node-only plugins). */
    public Decision schedule(Pod pod, List<NodeInfo> nodes) {
        return schedule(pod, ClusterView.of(nodes), 0);
    }

    /** One cycle over the cluster, examining nodes from {@code start} (modulo their number) on. */
    public Decision schedule(Pod pod, ClusterView cluster, int start) {
        List<NodeInfo> nodes = cluster.nodes();
        int n = nodes.size();
        Prepared fs = prepareFilters(pod, cluster);
        List<ScorePlugin> active = new ArrayList<>(scores.size());
        List<Integer> activeWeights = new ArrayList<>(scores.size());
        for (ScorePlugin p : scores) {
            ScorePlugin prepared = p.prepareScore(pod, cluster);
            if (prepared != null) {
                active.add(prepared);
                activeWeights.add(p.weight());
            }
        }
        ScorePlugin[] ss = active.toArray(ScorePlugin[]::new);
        int[] weights = activeWeights.stream().mapToInt(Integer::intValue).toArray();
        OwnerReference owner = pod.metadata().controller();
        String ownerUid = owner == null ? null : owner.uid();
        Map<String, Integer> siblings = cluster.podsOfOwnerByNode(ownerUid);
        int wanted = feasibleNodesToFind(n);
        Map<String, Status> rejections = new HashMap<>();
        NodeInfo best = null;
        long bestScore = Long.MIN_VALUE;
        int bestSiblings = 0;
        int bestIndex = 0;
        int found = 0;
        int examined = 0;
        int from = n == 0 ? 0 : Math.floorMod(start, n);
        for (; examined < n && found < wanted; examined++) {
            int index = from + examined;
            index = index >= n ? index - n : index;
            NodeInfo node = nodes.get(index);
            Status s = filter(fs, pod, node);
            if (!s.isSuccess()) {
                rejections.put(node.name(), s);
                continue;
            }
            found++;
            long total = 0;
            for (int i = 0; i < ss.length; i++) {
                int v = Math.max(ScorePlugin.MIN_SCORE, Math.min(ScorePlugin.MAX_SCORE, ss[i].score(pod, node)));
                total += (long) weights[i] * v;
            }
            if (best == null || total > bestScore) {
                best = node;
                bestScore = total;
                bestSiblings = siblings.isEmpty() ? 0 : siblings.getOrDefault(node.name(), 0);
                bestIndex = index;
            } else if (total == bestScore) {
                int sib = siblings.isEmpty() ? 0 : siblings.getOrDefault(node.name(), 0);
                if (sib < bestSiblings || sib == bestSiblings && (node.podCount() < best.podCount()
                        || node.podCount() == best.podCount() && index < bestIndex)) {
                    best = node;
                    bestSiblings = sib;
                    bestIndex = index;
                }
            }
        }
        return new Decision(best == null ? null : best.name(), n, rejections, examined);
    }

    /** How many feasible nodes a cycle looks for: all below 100 nodes, then Kubernetes' adaptive percentage. */
    public static int feasibleNodesToFind(int nodes) {
        if (nodes <= MIN_FEASIBLE_NODES) {
            return nodes;
        }
        int percent = Math.max(5, 50 - nodes / 125);
        return Math.max(MIN_FEASIBLE_NODES, nodes * percent / 100);
    }

    /** Whether the pod passes every filter on this node, the filters prepared over {@code cluster}. */
    public Status filter(Pod pod, ClusterView cluster, NodeInfo node) {
        return filter(prepareFilters(pod, cluster), pod, node);
    }

    /** The filters prepared for one pod, those that skip it left out, each with its name. */
    private record Prepared(FilterPlugin[] plugins, String[] names) {
    }

    private Prepared prepareFilters(Pod pod, ClusterView cluster) {
        List<FilterPlugin> plugins = new ArrayList<>(filters.size());
        List<String> names = new ArrayList<>(filters.size());
        for (FilterPlugin f : filters) {
            FilterPlugin p = prepare(f, pod, cluster);
            if (p != null) {
                plugins.add(p);
                names.add(f.name());
            }
        }
        return new Prepared(plugins.toArray(FilterPlugin[]::new), names.toArray(String[]::new));
    }

    /** The first failing filter's status (with its name), or success; plugins are prepared over no pods. */
    public Status filter(Pod pod, NodeInfo node) {
        return filter(prepareFilters(pod, ClusterView.of(List.of(node))), pod, node);
    }

    private static Status filter(Prepared prepared, Pod pod, NodeInfo node) {
        FilterPlugin[] fs = prepared.plugins();
        for (int i = 0; i < fs.length; i++) {
            Status s;
            try {
                s = fs[i].filter(pod, node);
            } catch (RuntimeException e) {
                s = Status.error(prepared.names()[i] + " failed: " + e.getMessage());
            }
            if (!s.isSuccess()) {
                return s.withPlugin(prepared.names()[i]);
            }
        }
        return Status.success();
    }

    private static FilterPlugin prepare(FilterPlugin f, Pod pod, ClusterView cluster) {
        try {
            return f.prepareFilter(pod, cluster);
        } catch (RuntimeException e) {
            return new FilterPlugin() {
                @Override
                public String name() {
                    return f.name();
                }

                @Override
                public Status filter(Pod p, NodeInfo n) {
                    return Status.error(f.name() + " failed: " + e.getMessage());
                }
            };
        }
    }
}
