package dev.capstan.engine.scheduler;

import dev.capstan.model.Condition;
import dev.capstan.model.Container;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small builders for scheduler tests. */
final class Objects {
    private Objects() {
    }

    static Node node(String name, String cpu, String memory) {
        return node(name, cpu, memory, "110", true, false, Map.of());
    }

    static Node node(String name, String cpu, String memory, String pods, boolean ready, boolean cordoned,
                     Map<String, String> labels) {
        Map<String, String> alloc = Map.of("cpu", cpu, "memory", memory, "pods", pods);
        Node.Status status = new Node.Status(alloc, alloc,
                List.of(Condition.of("Ready", ready, ready ? "NodeReady" : "NodeNotReady", null)), null, null);
        return new Node(ObjectMeta.of(null, name).withLabels(labels), new Node.Spec(cordoned ? true : null, null),
                status);
    }

    static Pod pod(String name, String cpu, String memory) {
        return pod(name, cpu, memory, Map.of(), null);
    }

    static Pod pod(String name, String cpu, String memory, Map<String, String> nodeSelector, String ownerUid) {
        Map<String, String> requests = new HashMap<>();
        if (cpu != null) {
            requests.put("cpu", cpu);
        }
        if (memory != null) {
            requests.put("memory", memory);
        }
        Container c = new Container("main", "img", null, null, null, null, new Container.Resources(requests, null),
                null);
        ObjectMeta m = ObjectMeta.of("sched", name);
        if (ownerUid != null) {
            m = m.withOwnerReferences(List.of(new OwnerReference("apps/v1", "ReplicaSet", "web", ownerUid, true)));
        }
        return new Pod(m, new PodSpec(List.of(c), null, null, null, nodeSelector, null), null);
    }

    /** A node with pods already requesting cpu/memory. */
    static NodeInfo info(Node node, long cpuMillis, long memoryBytes, int pods) {
        return new NodeInfo(node, cpuMillis, memoryBytes, pods, Map.of());
    }

    static final long MI = 1L << 20;
    static final long GI = 1L << 30;
}
