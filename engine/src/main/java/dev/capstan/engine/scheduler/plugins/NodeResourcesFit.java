package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.FilterPlugin;
import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.Status;
import dev.capstan.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod's requests ({@code PodSpec.cpuMillis()}, {@code memoryBytes()}, and one pod slot) must fit in
 * the node's allocatable cpu, memory and pods (capacity when allocatable is not given; pods default 110)
 * minus what the node's pods already request. Reports every resource that does not fit.
 */
public final class NodeResourcesFit implements FilterPlugin {
    public static final String INSUFFICIENT_CPU = "insufficient cpu";
    public static final String INSUFFICIENT_MEMORY = "insufficient memory";
    public static final String TOO_MANY_PODS = "too many pods";

    @Override
    public String name() {
        return "NodeResourcesFit";
    }

    @Override
    public Status filter(Pod pod, NodeInfo node) {
        return fits(pod.spec().cpuMillis(), pod.spec().memoryBytes(), node);
    }

    /** The pod's requests are parsed once per cycle, not once per node. */
    @Override
    public FilterPlugin prepareFilter(Pod pod, dev.capstan.engine.scheduler.ClusterView cluster) {
        long cpu = pod.spec().cpuMillis();
        long memory = pod.spec().memoryBytes();
        return new FilterPlugin() {
            @Override
            public String name() {
                return NodeResourcesFit.this.name();
            }

            @Override
            public Status filter(Pod p, NodeInfo node) {
                return fits(cpu, memory, node);
            }
        };
    }

    /** Whether these requests fit on the node; every resource short is a reason. */
    public static Status fits(long cpu, long memory, NodeInfo node) {
        if (node.podCount() + 1 <= node.allocatablePods()
                && (cpu <= 0 || node.requestedCpuMillis() + cpu <= node.allocatableCpuMillis())
                && (memory <= 0 || node.requestedMemoryBytes() + memory <= node.allocatableMemoryBytes())) {
            return Status.success();
        }
        List<String> reasons = new ArrayList<>(3);
        if (node.podCount() + 1 > node.allocatablePods()) {
            reasons.add(TOO_MANY_PODS);
        }
        if (cpu > 0 && node.requestedCpuMillis() + cpu > node.allocatableCpuMillis()) {
            reasons.add(INSUFFICIENT_CPU);
        }
        if (memory > 0 && node.requestedMemoryBytes() + memory > node.allocatableMemoryBytes()) {
            reasons.add(INSUFFICIENT_MEMORY);
        }
        return reasons.isEmpty() ? Status.success() : Status.unschedulable(reasons.toArray(String[]::new));
    }
}
