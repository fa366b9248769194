package dev.capstan.engine.scheduler;

import dev.capstan.model.Pod;

/**
 * Decides whether a pod may run on a node, after Kubernetes' framework {@code FilterPlugin} and Nomad's
 * feasibility checkers.
 *
 * <p>Contract: a pure function of its arguments — it reads no store, keeps no state between calls and
 * changes nothing; {@code node} already counts every pod bound or assumed there, including pods bound
 * earlier in the same pass. It returns {@link Status#success()} or a non-success Status whose reasons
 * are short, countable phrases ({@code insufficient memory}, {@code node(s) not ready}) that the scheduler
 * sums up per reason across nodes. Called from the single scheduling thread; never with null arguments.
 */
public interface FilterPlugin {

    /** A stable name for messages, e.g. {@code NodeResourcesFit}. */
    String name();

    Status filter(Pod pod, NodeInfo node);

    /**
     * Called once per pod per scheduling cycle, before any {@link #filter}, like Kubernetes' PreFilter: returns
     * the filter to use for this pod's nodes — this plugin itself, or an immutable one holding what it
     * computed from the cluster for this pod (e.g. the topology domains anti-affinity forbids). The default
     * needs nothing and returns {@code this}. May return null when the plugin has nothing to check for
     * this pod (Kubernetes' Skip), so the cycle does not call it per node. Reads {@code cluster}; changes nothing.
     */
    default FilterPlugin prepareFilter(Pod pod, ClusterView cluster) {
        return this;
    }
}
