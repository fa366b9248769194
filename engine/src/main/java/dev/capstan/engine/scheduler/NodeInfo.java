package dev.capstan.engine.scheduler;

import dev.capstan.model.Node;
import dev.capstan.model.Quantity;
import java.util.Map;

/**
 * A node as the scheduler sees it in one scheduling cycle: the Node object and what the pods bound or
 * assumed to it request. Immutable.
 *
 * @param requestedCpuMillis    sum of CPU requests of the node's non-terminal pods
 * @param requestedMemoryBytes  sum of their memory requests
 * @param podCount              how many non-terminal pods are bound there
 * @param podsByOwner           of those, how many per controller uid (for spreading replicas)
 */
public record NodeInfo(Node node, long requestedCpuMillis, long requestedMemoryBytes, int podCount,
                       Map<String, Integer> podsByOwner) {
    /** Kubernetes' default pod limit per node, used when a node does not say. */
    public static final long DEFAULT_MAX_PODS = 110;

    public NodeInfo {
        podsByOwner = podsByOwner == null ? Map.of() : Map.copyOf(podsByOwner);
    }

    /** An empty node: nothing bound yet. */
    public static NodeInfo of(Node node) {
        return new NodeInfo(node, 0, 0, 0, Map.of());
    }

    public String name() {
        return node.metadata().name();
    }

    public long allocatableCpuMillis() {
        String q = resource("cpu");
        return q == null ? 0 : parse(q, true);
    }

    public long allocatableMemoryBytes() {
        String q = resource("memory");
        return q == null ? 0 : parse(q, false);
    }

    public long allocatablePods() {
        String q = resource("pods");
        return q == null ? DEFAULT_MAX_PODS : parse(q, false);
    }

    /** Pods on this node controlled by the given owner uid. */
    public int podsOf(String ownerUid) {
        return ownerUid == null ? 0 : podsByOwner.getOrDefault(ownerUid, 0);
    }

    private String resource(String name) {
        if (node.status() == null) {
            return null;
        }
        String q = node.status().allocatable().get(name);
        return q != null ? q : node.status().capacity().get(name);
    }

    private static long parse(String q, boolean cpu) {
        try {
            return cpu ? Quantity.parseCpuMillis(q) : Quantity.parseBytes(q);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
