package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.ClusterView;
import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.ScorePlugin;
import dev.capstan.model.Pod;

/**
 * The resource-balance scores: the mean over cpu and memory of a per-resource share of the node, where
 * what is requested includes this pod. As in Kubernetes, a pod that requests nothing counts as 100m CPU
 * and 200Mi memory here, and a node's pods as at least that much each (only here: the fit filter uses the
 * real requests), so request-less pods are placed by the strategy too. Subclasses say which share counts.
 */
abstract class ResourceAllocation implements ScorePlugin {
    static final long DEFAULT_CPU_MILLIS = 100;
    static final long DEFAULT_MEMORY_BYTES = 200L << 20;

    /** 0..100 for one resource, given what would be requested with this pod and what the node has. */
    abstract long share(long requested, long allocatable);

    @Override
    public int score(Pod pod, NodeInfo node) {
        return score(pod.spec().cpuMillis(), pod.spec().memoryBytes(), node);
    }

    /** The pod's requests are parsed once per cycle, not once per node. */
    @Override
    public ScorePlugin prepareScore(Pod pod, ClusterView cluster) {
        long cpu = pod.spec().cpuMillis();
        long memory = pod.spec().memoryBytes();
        return new ScorePlugin() {
            @Override
            public String name() {
                return ResourceAllocation.this.name();
            }

            @Override
            public int score(Pod p, NodeInfo node) {
                return ResourceAllocation.this.score(cpu, memory, node);
            }
        };
    }

    final int score(long cpu, long memory, NodeInfo node) {
        int podCount = node.podCount();
        long usedCpu = Math.max(node.requestedCpuMillis(), podCount * DEFAULT_CPU_MILLIS)
                + (cpu == 0 ? DEFAULT_CPU_MILLIS : cpu);
        long usedMemory = Math.max(node.requestedMemoryBytes(), podCount * DEFAULT_MEMORY_BYTES)
                + (memory == 0 ? DEFAULT_MEMORY_BYTES : memory);
        return (int) ((share(usedCpu, node.allocatableCpuMillis()) + share(usedMemory, node.allocatableMemoryBytes()))
                / 2);
    }
}
