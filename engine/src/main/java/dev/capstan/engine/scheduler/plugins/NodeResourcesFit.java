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
        List<String> reasons = new ArrayList<>(3);
        if (node.podCount() + 1 > node.allocatablePods()) {
            reasons.add(TOO_MANY_PODS);
        }
        long cpu = pod.spec().cpuMillis();
        if (cpu > 0 && node.requestedCpuMillis() + cpu > node.allocatableCpuMillis()) {
            reasons.add(INSUFFICIENT_CPU);
        }
        long memory = pod.spec().memoryBytes();
        if (memory > 0 && node.requestedMemoryBytes() + memory > node.allocatableMemoryBytes()) {
            reasons.add(INSUFFICIENT_MEMORY);
        }
        return reasons.isEmpty() ? Status.success() : Status.unschedulable(reasons.toArray(String[]::new));
    }
}
