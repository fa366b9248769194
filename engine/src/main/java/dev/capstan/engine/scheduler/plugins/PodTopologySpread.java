package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.ClusterView;
import dev.capstan.engine.scheduler.FilterPlugin;
import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.ScorePlugin;
import dev.capstan.engine.scheduler.Status;
import dev.capstan.model.Pod;
import dev.capstan.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code spec.topologySpreadConstraints}. For each constraint the pods its selector matches (in the pod's
 * namespace) are counted per domain of {@code topologyKey}, over the nodes that carry the key and that the
 * pod's node selector and required node affinity admit (Kubernetes' default policy). Filter
 * ({@code DoNotSchedule}): a node without the key is rejected, and so is one where
 * {@code count(domain) + self − min(count) > maxSkew}. Score ({@code ScheduleAnyway}): fewer matching pods
 * in the node's domain score higher, {@code 100 × (max − count) / (max − min)}, averaged over constraints.
 */
public final class PodTopologySpread implements FilterPlugin, ScorePlugin {
    public static final String SKEW = "node(s) didn't match pod topology spread constraints";
    public static final String MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";
    public static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    public static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

    @Override
    public String name() {
        return "PodTopologySpread";
    }

    /** Unprepared: with no pods counted, only a missing topology label can reject. */
    @Override
    public Status filter(Pod pod, NodeInfo node) {
        return prepare(pod, ClusterView.of(List.of(node))).filter(pod, node);
    }

    @Override
    public int score(Pod pod, NodeInfo node) {
        return MAX_SCORE;
    }

    @Override
    public FilterPlugin prepareFilter(Pod pod, ClusterView cluster) {
        Prepared p = prepare(pod, cluster);
        return p.filters() ? p : null;
    }

    @Override
    public ScorePlugin prepareScore(Pod pod, ClusterView cluster) {
        Prepared p = prepare(pod, cluster);
        return p.scores() ? p : null;
    }

    /** Computes this pod's view of the cluster once. */
    public Prepared prepare(Pod pod, ClusterView cluster) {
        List<Counted> hard = new ArrayList<>();
        List<Counted> soft = new ArrayList<>();
        for (TopologySpreadConstraint c : pod.spec().topologySpreadConstraints()) {
            if (c.topologyKey() == null) {
                continue;
            }
            Map<String, Integer> counts = new HashMap<>();
            for (NodeInfo n : cluster.nodes()) {
                String d = n.label(c.topologyKey());
                if (d != null && eligible(pod, n)) {
                    counts.putIfAbsent(d, 0);
                }
            }
            String ns = pod.metadata().namespace() == null ? "" : pod.metadata().namespace();
            cluster.forEachMatchingPod(Set.of(ns), c.labelSelector(), p -> {
                NodeInfo n = cluster.nodeInfo(p.node());
                String d = n == null ? null : n.label(c.topologyKey());
                if (d != null) {
                    counts.computeIfPresent(d, (k, v) -> v + 1);
                }
            });
            int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
            int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            boolean self = c.labelSelector() != null && c.labelSelector().matches(pod.metadata().labels());
            Counted counted = new Counted(c, counts, min, max, self ? 1 : 0);
            (SCHEDULE_ANYWAY.equals(c.whenUnsatisfiable()) ? soft : hard).add(counted);
        }
        return new Prepared(hard, soft);
    }

    private static boolean eligible(Pod pod, NodeInfo n) {
        Map<String, String> labels = n.node().metadata().labels();
        for (Map.Entry<String, String> e : pod.spec().nodeSelector().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return NodeAffinity.requiredMatches(pod, labels);
    }

    private record Counted(TopologySpreadConstraint constraint, Map<String, Integer> counts, int min, int max,
                           int self) {
    }

    /** The plugin prepared for one pod: counts per domain for each constraint. */
    public static final class Prepared implements FilterPlugin, ScorePlugin {
        private final List<Counted> hard;
        private final List<Counted> soft;

        private Prepared(List<Counted> hard, List<Counted> soft) {
            this.hard = hard;
            this.soft = soft;
        }

        @Override
        public String name() {
            return "PodTopologySpread";
        }

        /** False without DoNotSchedule constraints. */
        public boolean filters() {
            return !hard.isEmpty();
        }

        /** False without ScheduleAnyway constraints. */
        public boolean scores() {
            return !soft.isEmpty();
        }

        @Override
        public Status filter(Pod pod, NodeInfo node) {
            for (Counted c : hard) {
                String d = node.label(c.constraint().topologyKey());
                if (d == null) {
                    return Status.unresolvable(MISSING_LABEL);
                }
                int count = c.counts().getOrDefault(d, 0);
                if (count + c.self() - c.min() > Math.max(1, c.constraint().maxSkew())) {
                    return Status.unschedulable(SKEW);
                }
            }
            return Status.success();
        }

        @Override
        public int score(Pod pod, NodeInfo node) {
            if (soft.isEmpty()) {
                return MAX_SCORE;
            }
            long sum = 0;
            for (Counted c : soft) {
                String d = node.label(c.constraint().topologyKey());
                if (d == null) {
                    continue;
                }
                int count = c.counts().getOrDefault(d, 0);
                sum += c.max() == c.min() ? MAX_SCORE : (long) MAX_SCORE * (c.max() - count) / (c.max() - c.min());
            }
            return (int) (sum / soft.size());
        }
    }
}
