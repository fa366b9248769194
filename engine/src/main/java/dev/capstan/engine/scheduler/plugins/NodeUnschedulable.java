package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.FilterPlugin;
import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.Status;
import dev.capstan.model.Pod;

/** Not on nodes marked {@code spec.unschedulable} (cordoned). */
public final class NodeUnschedulable implements FilterPlugin {
    public static final String UNSCHEDULABLE = "node(s) were unschedulable";

    @Override
    public String name() {
        return "NodeUnschedulable";
    }

    @Override
    public Status filter(Pod pod, NodeInfo node) {
        return node.schedulable() ? Status.success() : Status.unresolvable(UNSCHEDULABLE);
    }
}
