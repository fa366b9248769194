package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.FilterPlugin;
import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.Status;
import dev.capstan.model.Pod;
import java.util.Map;

/** Every {@code spec.nodeSelector} entry must equal the node's label of that name. */
public final class NodeSelector implements FilterPlugin {
    public static final String MISMATCH = "node(s) didn't match Pod's node selector";

    @Override
    public String name() {
        return "NodeSelector";
    }

    /** Skipped for pods without a node selector. */
    @Override
    public FilterPlugin prepareFilter(Pod pod, dev.capstan.engine.scheduler.ClusterView cluster) {
        return pod.spec().nodeSelector().isEmpty() ? null : this;
    }

    @Override
    public Status filter(Pod pod, NodeInfo node) {
        Map<String, String> labels = node.node().metadata().labels();
        for (Map.Entry<String, String> e : pod.spec().nodeSelector().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return Status.unresolvable(MISMATCH);
            }
        }
        return Status.success();
    }
}
