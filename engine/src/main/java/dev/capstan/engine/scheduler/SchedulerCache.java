package dev.capstan.engine.scheduler;

import dev.capstan.model.Node;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The scheduler's in-memory view of the cluster: nodes, and per node the requests of the non-terminal
 * pods bound to it, kept up to date from watch events and from the scheduler's own bindings (assumed
 * before the store confirms them), so no scheduling decision re-reads all pods. Pods being deleted still
 * count until they are gone. Thread-safe.
 */
public final class SchedulerCache {
    private final Map<String, Node> nodes = new TreeMap<>();
    private final Map<String, Usage> usage = new HashMap<>();
    private final Map<String, Entry> pods = new HashMap<>();

    private record Entry(String node, long cpu, long memory, String owner, boolean assumed) {
    }

    private static final class Usage {
        long cpu;
        long memory;
        int pods;
        final Map<String, Integer> owners = new HashMap<>();
    }

    /** Adds or replaces a node; true when this may let a waiting pod fit (new, or its fit-relevant fields changed). */
    public synchronized boolean upsertNode(Node node) {
        Node old = nodes.put(node.metadata().name(), node);
        return old == null || old.isReady() != node.isReady() || old.isSchedulable() != node.isSchedulable()
                || !Objects.equals(old.metadata().labels(), node.metadata().labels())
                || !Objects.equals(old.status() == null ? null : old.status().allocatable(),
                        node.status() == null ? null : node.status().allocatable())
                || !Objects.equals(old.status() == null ? null : old.status().capacity(),
                        node.status() == null ? null : node.status().capacity());
    }

    public synchronized void removeNode(String name) {
        nodes.remove(name);
    }

    /**
     * Accounts a pod as the store now has it; true when this freed room on a node (the pod ended, moved or
     * went away).
     */
    public synchronized boolean updatePod(Pod pod) {
        String key = pod.key();
        Entry old = pods.get(key);
        String node = pod.nodeName();
        if (node == null || node.isEmpty() || pod.isTerminal()) {
            if (old != null && old.assumed() && (node == null || node.isEmpty()) && !pod.isTerminal()) {
                return false; // our binding is on its way; this event predates it
            }
            return remove(key) != null;
        }
        Entry fresh = entry(pod, node, false);
        if (fresh.equals(old)) {
            return false;
        }
        remove(key);
        add(key, fresh);
        return old != null && !old.node().equals(node);
    }

    /** The pod object is gone; true when it had held room on a node. */
    public synchronized boolean removePod(Pod pod) {
        return remove(pod.key()) != null;
    }

    /** Counts the pod on the node before the binding is confirmed, so the next decision sees it. */
    public synchronized void assume(Pod pod, String node) {
        remove(pod.key());
        add(pod.key(), entry(pod, node, true));
    }

    /** Undoes {@link #assume} after a failed binding (unless the store has confirmed something since). */
    public synchronized void forget(Pod pod) {
        Entry e = pods.get(pod.key());
        if (e != null && e.assumed()) {
            remove(pod.key());
        }
    }

    /** Every known node with its accounted requests, ordered by name. */
    public synchronized List<NodeInfo> snapshot() {
        List<NodeInfo> out = new ArrayList<>(nodes.size());
        for (Node n : nodes.values()) {
            Usage u = usage.get(n.metadata().name());
            out.add(u == null ? NodeInfo.of(n) : new NodeInfo(n, u.cpu, u.memory, u.pods, u.owners));
        }
        return out;
    }

    public synchronized int nodeCount() {
        return nodes.size();
    }

    private static Entry entry(Pod pod, String node, boolean assumed) {
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
        return new Entry(node, cpu, memory, ref == null ? null : ref.uid(), assumed);
    }

    private void add(String key, Entry e) {
        pods.put(key, e);
        Usage u = usage.computeIfAbsent(e.node(), k -> new Usage());
        u.cpu += e.cpu();
        u.memory += e.memory();
        u.pods++;
        if (e.owner() != null) {
            u.owners.merge(e.owner(), 1, Integer::sum);
        }
    }

    private Entry remove(String key) {
        Entry e = pods.remove(key);
        if (e == null) {
            return null;
        }
        Usage u = usage.get(e.node());
        u.cpu -= e.cpu();
        u.memory -= e.memory();
        u.pods--;
        if (e.owner() != null) {
            u.owners.computeIfPresent(e.owner(), (k, v) -> v <= 1 ? null : v - 1);
        }
        if (u.pods == 0) {
            usage.remove(e.node());
        }
        return e;
    }
}
