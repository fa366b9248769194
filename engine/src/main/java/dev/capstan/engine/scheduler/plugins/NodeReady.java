package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.FilterPlugin;
import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.Status;
import dev.capstan.model.Pod;

/** Only nodes whose Ready condition is True. */
public final class NodeReady implements FilterPlugin {
    public static final String NOT_READY = "node(s) not ready";

    @Override
    public String name() {
        return "NodeReady";
    }

    @Override
    public Status filter(Pod pod, NodeInfo node) {
        return node.ready() ? Status.success() : Status.unresolvable(NOT_READY);
    }
}
