package dev.capstan.node.agent;

import dev.capstan.engine.client.ApiClient;
import dev.capstan.engine.store.AlreadyExistsException;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.model.Condition;
import dev.capstan.model.Kinds;
import dev.capstan.model.Lease;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Quantity;
import dev.capstan.model.Times;
import dev.capstan.node.runtime.ContainerRuntime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The node's own objects: its Node (registered, Ready re-posted when needed) and its Lease (renewed). */
final class NodeRegistration {
    private final AgentConfig config;
    private final ApiClient api;
    private final ContainerRuntime runtime;
    private volatile String logEndpoint;

    NodeRegistration(AgentConfig config, ApiClient api, ContainerRuntime runtime) {
        this.config = config;
        this.api = api;
        this.runtime = runtime;
    }

    /** Advertises where this agent serves its pods' logs (a separate agent); call before {@link #register}. */
    void logEndpoint(String url) {
        this.logEndpoint = url;
    }

    void register() {
        Node desired = node();
        Optional<Node> existing = api.get(Kinds.NODE, null, config.nodeName());
        if (existing.isEmpty()) {
            try {
                api.create(desired);
            } catch (AlreadyExistsException e) {
                postStatus();
            }
        } else {
            Node n = existing.get();
            Map<String, String> annotations = new LinkedHashMap<>(n.metadata().annotations());
            annotations.remove(NodeLogSource.ENDPOINT_ANNOTATION);
            annotations.putAll(desired.metadata().annotations());
            api.update(n.withMetadata(n.metadata().withLabels(desired.metadata().labels())
                    .withAnnotations(annotations)).withSpec(desired.spec()));
            postStatus();
        }
        renew();
    }

    /** Renews the lease, and re-posts Ready when the control plane marked the node otherwise. */
    void renew() {
        String now = Times.nowMicro();
        Optional<Lease> lease = api.get(Kinds.LEASE, Lease.NODE_LEASE_NAMESPACE, config.nodeName());
        int secs = (int) Math.max(1, config.leaseDuration().toSeconds());
        if (lease.isEmpty()) {
            try {
                api.create(new Lease(ObjectMeta.of(Lease.NODE_LEASE_NAMESPACE, config.nodeName()),
                        new Lease.Spec(config.nodeName(), secs, now, now)));
            } catch (AlreadyExistsException e) {
                // created concurrently: renewed next time
            }
        } else {
            Lease l = lease.get();
            try {
                api.update(l.withSpec(new Lease.Spec(config.nodeName(), secs, l.spec() == null ? now
                        : l.spec().acquireTime(), now)));
            } catch (ConflictException e) {
                // renewed next time
            }
        }
        api.get(Kinds.NODE, null, config.nodeName()).filter(n -> !n.isReady()).ifPresent(n -> postStatus());
    }

    private void postStatus() {
        for (int i = 0; i < 3; i++) {
            Node n = api.get(Kinds.NODE, null, config.nodeName()).orElseThrow();
            try {
                api.updateStatus(n.withStatus(node().status()));
                return;
            } catch (ConflictException e) {
                // re-read and try again
            }
        }
    }

    /**
     * Memory pods may use: the capacity less kubelet's default hard eviction threshold ({@value
     * #EVICTION_RESERVE_BYTES} bytes, {@code memory.available<100Mi}), which keeps the host itself alive.
     */
    static long allocatableMemory(long capacity) {
        return Math.max(0, capacity - EVICTION_RESERVE_BYTES);
    }

    static final long EVICTION_RESERVE_BYTES = 100L << 20;

    private Node node() {
        long cpu = config.cpuMillis() > 0 ? config.cpuMillis() : HostInfo.cpuMillis();
        long mem = config.memoryBytes() > 0 ? config.memoryBytes() : HostInfo.memoryBytes();
        Map<String, String> capacity = Map.of("cpu", Quantity.formatCpu(cpu), "memory", Quantity.formatBytes(mem),
                "pods", "110");
        Map<String, String> allocatable = Map.of("cpu", Quantity.formatCpu(cpu), "memory",
                Quantity.formatBytes(allocatableMemory(mem)), "pods", "110");
        Map<String, String> labels = new LinkedHashMap<>(config.labels());
        labels.put("kubernetes.io/hostname", config.nodeName());
        labels.put("kubernetes.io/os", "linux");
        labels.put("capstan.dev/runtime", runtime.name());
        String now = Times.now();
        Condition ready = new Condition("Ready", "True", "AgentReady", "capstan agent is posting ready status",
                now, now);
        Node.NodeInfo info = new Node.NodeInfo(runtime.name(), "v1.32.0-capstan", "linux",
                System.getProperty("os.arch"), HostInfo.osImage(), HostInfo.kernel(), null, null, null, null);
        Node.Status status = new Node.Status(capacity, allocatable, List.of(ready),
                List.of(new Node.Address("InternalIP", "127.0.0.1"), new Node.Address("Hostname", config.nodeName())),
                info);
        ObjectMeta meta = ObjectMeta.of(null, config.nodeName()).withLabels(labels);
        if (logEndpoint != null) {
            meta = meta.withAnnotation(NodeLogSource.ENDPOINT_ANNOTATION, logEndpoint);
        }
        return new Node(meta, new Node.Spec(null, null), status);
    }
}
