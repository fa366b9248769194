package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.ScorePlugin;
import dev.capstan.model.Pod;

/**
 * Bin-packing: prefers the fullest node that still fits, the mean over cpu and memory of
 * {@code requested * 100 / allocatable} with this pod included (request-less pods count as
 * {@link LeastAllocated}'s defaults), so whole nodes stay free for large pods or scale-down.
 */
public final class MostAllocated implements ScorePlugin {

    @Override
    public String name() {
        return "NodeResourcesMostAllocated";
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
                return MostAllocated.this.name();
            }

            @Override
            public int score(Pod p, NodeInfo node) {
                return MostAllocated.score(cpu, memory, node);
            }
        };
    }

    static int score(long cpu, long memory, NodeInfo node) {
        int podCount = node.podCount();
        long usedCpu = Math.max(node.requestedCpuMillis(), podCount * LeastAllocated.DEFAULT_CPU_MILLIS)
                + (cpu == 0 ? LeastAllocated.DEFAULT_CPU_MILLIS : cpu);
        long usedMemory = Math.max(node.requestedMemoryBytes(), podCount * LeastAllocated.DEFAULT_MEMORY_BYTES)
                + (memory == 0 ? LeastAllocated.DEFAULT_MEMORY_BYTES : memory);
        return (int) ((used(usedCpu, node.allocatableCpuMillis()) + used(usedMemory, node.allocatableMemoryBytes())) / 2);
    }

    private static long used(long used, long allocatable) {
        if (allocatable <= 0) {
            return 0;
        }
        return Math.min(used, allocatable) * 100 / allocatable;
    }
}
