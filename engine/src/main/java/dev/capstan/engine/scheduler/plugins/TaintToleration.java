package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.FilterPlugin;
import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.ScorePlugin;
import dev.capstan.engine.scheduler.Status;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import dev.capstan.model.Toleration;
import java.util.List;

/**
 * Taints and tolerations. Filter: every taint with effect {@code NoSchedule} or {@code NoExecute} must be
 * tolerated by one of the pod's tolerations; the first that is not is named in the reason
 * ({@code node(s) had untolerated taint {dedicated: gpu}}). Score: {@code PreferNoSchedule} taints the pod
 * does not tolerate make a node less attractive, {@code 100 / (1 + untolerated)}.
 */
public final class TaintToleration implements FilterPlugin, ScorePlugin {
    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String NO_EXECUTE = "NoExecute";
    public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";

    @Override
    public FilterPlugin prepareFilter(Pod pod, dev.capstan.engine.scheduler.ClusterView cluster) {
        return this;
    }

    @Override
    public ScorePlugin prepareScore(Pod pod, dev.capstan.engine.scheduler.ClusterView cluster) {
        return this;
    }

    @Override
    public String name() {
        return "TaintToleration";
    }

    /** The reason for one untolerated taint, as Kubernetes words it. */
    public static String untolerated(Node.Taint t) {
        return "node(s) had untolerated taint {" + t.key() + ": " + (t.value() == null ? "" : t.value()) + "}";
    }

    @Override
    public Status filter(Pod pod, NodeInfo node) {
        if (node.taints().isEmpty()) {
            return Status.success();
        }
        for (Node.Taint t : taints(node)) {
            if ((NO_SCHEDULE.equals(t.effect()) || NO_EXECUTE.equals(t.effect())) && !tolerated(pod, t)) {
                return Status.unresolvable(untolerated(t));
            }
        }
        return Status.success();
    }

    @Override
    public int score(Pod pod, NodeInfo node) {
        if (node.taints().isEmpty()) {
            return MAX_SCORE;
        }
        int count = 0;
        for (Node.Taint t : taints(node)) {
            if (PREFER_NO_SCHEDULE.equals(t.effect()) && !tolerated(pod, t)) {
                count++;
            }
        }
        return MAX_SCORE / (1 + count);
    }

    private static boolean tolerated(Pod pod, Node.Taint t) {
        for (Toleration tol : pod.spec().tolerations()) {
            if (tol.tolerates(t)) {
                return true;
            }
        }
        return false;
    }

    private static List<Node.Taint> taints(NodeInfo node) {
        return node.taints();
    }
}
