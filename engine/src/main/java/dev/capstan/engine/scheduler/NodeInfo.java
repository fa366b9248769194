package dev.capstan.engine.scheduler;

import dev.capstan.model.Node;
import dev.capstan.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * A node as the scheduler sees it in one scheduling cycle: the Node object and what the pods bound or
 * assumed to it request. Immutable; the node's allocatable quantities are parsed once, when it is built,
 * so filters and scores read plain numbers on the hot path.
 */
public final class NodeInfo {
    /** Kubernetes' default pod limit per node, used when a node does not say. */
    public static final long DEFAULT_MAX_PODS = 110;

    private final Node node;
    private final long requestedCpuMillis;
    private final long requestedMemoryBytes;
    private final int podCount;
    private final Map<String, Integer> podsByOwner;
    private final long allocatableCpuMillis;
    private final long allocatableMemoryBytes;
    private final long allocatablePods;
    private final boolean ready;
    private final String name;
    private final Map<String, String> labels;
    private final List<Node.Taint> taints;
    private final boolean schedulable;

    /**
     * @param requestedCpuMillis    sum of CPU requests of the node's non-terminal pods
     * @param requestedMemoryBytes  sum of their memory requests
     * @param podCount              how many non-terminal pods are bound there
     * @param podsByOwner           of those, how many per controller uid (for spreading replicas)
     */
    public NodeInfo(Node node, long requestedCpuMillis, long requestedMemoryBytes, int podCount,
                    Map<String, Integer> podsByOwner) {
        this.node = node;
        this.requestedCpuMillis = requestedCpuMillis;
        this.requestedMemoryBytes = requestedMemoryBytes;
        this.podCount = podCount;
        this.podsByOwner = podsByOwner == null ? Map.of() : Map.copyOf(podsByOwner);
        String cpu = resource(node, "cpu");
        String memory = resource(node, "memory");
        String pods = resource(node, "pods");
        this.allocatableCpuMillis = cpu == null ? 0 : parse(cpu, true);
        this.allocatableMemoryBytes = memory == null ? 0 : parse(memory, false);
        this.allocatablePods = pods == null ? DEFAULT_MAX_PODS : parse(pods, false);
        this.ready = node.isReady();
        this.schedulable = node.isSchedulable();
        this.name = node.metadata().name();
        this.labels = node.metadata().labels();
        this.taints = node.spec() == null || node.spec().taints() == null ? List.of() : node.spec().taints();
    }

    /** The node's Ready condition is True (read once, when this was built). */
    public boolean ready() {
        return ready;
    }

    /** Not cordoned (read once, when this was built). */
    public boolean schedulable() {
        return schedulable;
    }

    private NodeInfo(NodeInfo same, long cpu, long memory, int pods, Map<String, Integer> owners) {
        this.node = same.node;
        this.requestedCpuMillis = cpu;
        this.requestedMemoryBytes = memory;
        this.podCount = pods;
        this.podsByOwner = Map.copyOf(owners);
        this.allocatableCpuMillis = same.allocatableCpuMillis;
        this.allocatableMemoryBytes = same.allocatableMemoryBytes;
        this.allocatablePods = same.allocatablePods;
        this.ready = same.ready;
        this.schedulable = same.schedulable;
        this.name = same.name;
        this.labels = same.labels;
        this.taints = same.taints;
    }

    /** The same node with other usage, without parsing its quantities again. */
    public NodeInfo withUsage(long cpu, long memory, int pods, Map<String, Integer> owners) {
        return new NodeInfo(this, cpu, memory, pods, owners);
    }

    /** An empty node: nothing bound yet. */
    public static NodeInfo of(Node node) {
        return new NodeInfo(node, 0, 0, 0, Map.of());
    }

    public Node node() {
        return node;
    }

    public String name() {
        return name;
    }

    /** The node's taints (read once, when this was built); never null. */
    public List<Node.Taint> taints() {
        return taints;
    }

    /** The node's label of that name, or null. */
    public String label(String key) {
        return labels.get(key);
    }

    public long requestedCpuMillis() {
        return requestedCpuMillis;
    }

    public long requestedMemoryBytes() {
        return requestedMemoryBytes;
    }

    public int podCount() {
        return podCount;
    }

    public Map<String, Integer> podsByOwner() {
        return podsByOwner;
    }

    public long allocatableCpuMillis() {
        return allocatableCpuMillis;
    }

    public long allocatableMemoryBytes() {
        return allocatableMemoryBytes;
    }

    public long allocatablePods() {
        return allocatablePods;
    }

    /** Pods on this node controlled by the given owner uid. */
    public int podsOf(String ownerUid) {
        return ownerUid == null ? 0 : podsByOwner.getOrDefault(ownerUid, 0);
    }

    @Override
    public String toString() {
        return "NodeInfo[" + name() + ", cpu=" + requestedCpuMillis + "m, memory=" + requestedMemoryBytes + ", pods="
                + podCount + "]";
    }

    private static String resource(Node node, String name) {
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
