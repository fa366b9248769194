package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.FilterPlugin;
import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.ScorePlugin;
import dev.capstan.engine.scheduler.Status;
import dev.capstan.model.Affinity;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Pod;
import java.util.Map;

/**
 * {@code spec.affinity.nodeAffinity}. Filter: the required node selector's terms are ORed and the
 * expressions inside a term ANDed (operators In, NotIn, Exists, DoesNotExist, Gt, Lt); an empty term
 * matches nothing, as in Kubernetes. Score: the share of the preferred terms' weight the node matches,
 * {@code 100 × matched weight / total weight} (100 when the pod prefers nothing).
 */
public final class NodeAffinity implements FilterPlugin, ScorePlugin {
    public static final String MISMATCH = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public FilterPlugin prepareFilter(Pod pod, dev.capstan.engine.scheduler.ClusterView cluster) {
        Affinity.NodeAffinity a = nodeAffinity(pod);
        return a == null || a.requiredDuringSchedulingIgnoredDuringExecution() == null ? null : this;
    }

    @Override
    public ScorePlugin prepareScore(Pod pod, dev.capstan.engine.scheduler.ClusterView cluster) {
        Affinity.NodeAffinity a = nodeAffinity(pod);
        return a == null || a.preferredDuringSchedulingIgnoredDuringExecution().isEmpty() ? null : this;
    }

    @Override
    public String name() {
        return "NodeAffinity";
    }

    @Override
    public Status filter(Pod pod, NodeInfo node) {
        Affinity.NodeAffinity a = nodeAffinity(pod);
        if (a == null || a.requiredDuringSchedulingIgnoredDuringExecution() == null) {
            return Status.success();
        }
        return requiredMatches(a, node.node().metadata().labels()) ? Status.success() : Status.unresolvable(MISMATCH);
    }

    /** True when the pod's required node affinity (if any) admits a node with these labels. */
    public static boolean requiredMatches(Pod pod, Map<String, String> labels) {
        Affinity.NodeAffinity a = nodeAffinity(pod);
        return a == null || a.requiredDuringSchedulingIgnoredDuringExecution() == null || requiredMatches(a, labels);
    }

    private static boolean requiredMatches(Affinity.NodeAffinity a, Map<String, String> labels) {
        for (Affinity.NodeSelectorTerm term : a.requiredDuringSchedulingIgnoredDuringExecution().nodeSelectorTerms()) {
            if (matches(term, labels)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int score(Pod pod, NodeInfo node) {
        Affinity.NodeAffinity a = nodeAffinity(pod);
        if (a == null || a.preferredDuringSchedulingIgnoredDuringExecution().isEmpty()) {
            return MAX_SCORE;
        }
        long total = 0;
        long matched = 0;
        for (Affinity.PreferredSchedulingTerm t : a.preferredDuringSchedulingIgnoredDuringExecution()) {
            int w = Math.max(0, t.weight());
            total += w;
            if (t.preference() != null && matches(t.preference(), node.node().metadata().labels())) {
                matched += w;
            }
        }
        return total == 0 ? MAX_SCORE : (int) (matched * MAX_SCORE / total);
    }

    static boolean matches(Affinity.NodeSelectorTerm term, Map<String, String> labels) {
        if (term.matchExpressions().isEmpty()) {
            return false;
        }
        for (LabelSelector.Requirement r : term.matchExpressions()) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    private static Affinity.NodeAffinity nodeAffinity(Pod pod) {
        Affinity a = pod.spec().affinity();
        return a == null ? null : a.nodeAffinity();
    }
}
