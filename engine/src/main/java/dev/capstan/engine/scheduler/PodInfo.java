package dev.capstan.engine.scheduler;

import dev.capstan.model.Affinity;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler keeps of a pod bound or assumed to a node: enough to account its requests, match it
 * against affinity and spread selectors, and pick it as a preemption victim. Immutable.
 *
 * @param key                  {@code namespace/name}
 * @param node                 the node it is bound or assumed to
 * @param owner                its controller's uid, or null
 * @param priority             {@code spec.priority}, 0 when unset
 * @param assumed              true while our own binding is unconfirmed by the store
 * @param requiredAntiAffinity its required pod anti-affinity terms (checked symmetrically for new pods)
 */
public record PodInfo(String key, String namespace, String name, Map<String, String> labels, String node, long cpu,
                      long memory, String owner, int priority, boolean assumed,
                      List<Affinity.PodAffinityTerm> requiredAntiAffinity) {

    public PodInfo {
        labels = labels == null ? Map.of() : labels;
        requiredAntiAffinity = requiredAntiAffinity == null ? List.of() : requiredAntiAffinity;
    }

    /** The pod as accounted on {@code node}; unparsable quantities count as zero. */
    public static PodInfo of(Pod pod, String node, boolean assumed) {
        OwnerReference ref = pod.metadata().controller();
        long cpu;
        long memory;
        try {
            cpu = pod.spec() == null ? 0 : pod.spec().cpuMillis();
            memory = pod.spec() == null ? 0 : pod.spec().memoryBytes();
        } catch (IllegalArgumentException badQuantity) {
            cpu = 0;
            memory = 0;
        }
        return new PodInfo(pod.key(), pod.metadata().namespace(), pod.metadata().name(), pod.metadata().labels(), node,
                cpu, memory, ref == null ? null : ref.uid(), priorityOf(pod), assumed, requiredAntiAffinityOf(pod));
    }

    public static int priorityOf(Pod pod) {
        return pod.spec() == null || pod.spec().priority() == null ? 0 : pod.spec().priority();
    }

    static List<Affinity.PodAffinityTerm> requiredAntiAffinityOf(Pod pod) {
        Affinity a = pod.spec() == null ? null : pod.spec().affinity();
        if (a == null || a.podAntiAffinity() == null) {
            return List.of();
        }
        return a.podAntiAffinity().requiredDuringSchedulingIgnoredDuringExecution();
    }
}
