package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.ScorePlugin;
import dev.capstan.model.Pod;

/**
 * Prefers the emptiest node, spreading load: the mean over cpu and memory of
 * {@code (allocatable - requested) * 100 / allocatable}, where requested includes this pod. As in
 * Kubernetes, a pod that requests nothing counts as 100m CPU and 200Mi memory here, and a node's pods as
 * at least that much each (only here: the fit filter uses the real requests), so request-less pods spread too.
 */
public final class LeastAllocated implements ScorePlugin {
    public static final long DEFAULT_CPU_MILLIS = 100;
    public static final long DEFAULT_MEMORY_BYTES = 200L << 20;

    @Override
    public String name() {
        return "NodeResourcesLeastAllocated";
    }

    @Override
    public int score(Pod pod, NodeInfo node) {
        return score(pod.spec().cpuMillis(), pod.spec().memoryBytes(), node);
    }

    /** The pod's requests are parsed once per cycle, not once per node. */
    @Override
    public ScorePlugin prepareScore(Pod pod, dev.capstan.engine.scheduler.ClusterView cluster) {
        long cpu = pod.spec().cpuMillis();
        long memory = pod.spec().memoryBytes();
        return new ScorePlugin() {
            @Override
            public String name() {
                return LeastAllocated.this.name();
            }

            @Override
            public int score(Pod p, NodeInfo node) {
                return LeastAllocated.score(cpu, memory, node);
            }
        };
    }

    static int score(long cpu, long memory, NodeInfo node) {
        int podCount = node.podCount();
        long usedCpu = Math.max(node.requestedCpuMillis(), podCount * DEFAULT_CPU_MILLIS)
                + (cpu == 0 ? DEFAULT_CPU_MILLIS : cpu);
        long usedMemory = Math.max(node.requestedMemoryBytes(), podCount * DEFAULT_MEMORY_BYTES)
                + (memory == 0 ? DEFAULT_MEMORY_BYTES : memory);
        return (int) ((free(usedCpu, node.allocatableCpuMillis()) + free(usedMemory, node.allocatableMemoryBytes())) / 2);
    }

    private static long free(long used, long allocatable) {
        if (allocatable <= 0 || used >= allocatable) {
            return 0;
        }
        return (allocatable - used) * 100 / allocatable;
    }
}
