package dev.capstan.engine.scheduler;

import dev.capstan.model.LabelSelector;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The scheduler's in-memory view of the cluster: nodes, and per node the requests of the non-terminal
 * pods bound to it, kept up to date from watch events and from the scheduler's own bindings (assumed
 * before the store confirms them), so no scheduling decision re-reads all pods. Pods being deleted still
 * count until they are gone. Pods are indexed by node, by namespace and label, and the required
 * anti-affinity terms of bound pods by term and topology domain, so affinity checks cost the number of
 * matching pods, not the number of pods. Thread-safe; a scheduling cycle reads it while holding its lock.
 */
public final class SchedulerCache implements ClusterView {
    private final TreeMap<String, NodeInfo> infos = new TreeMap<>();
    private final Map<String, Usage> usage = new HashMap<>();
    private final Map<String, PodInfo> pods = new HashMap<>();
    /** "namespace\0key=value" → pods with that label, by key. */
    private final Map<String, Map<String, PodInfo>> byLabel = new HashMap<>();
    private final Map<String, Map<String, PodInfo>> byNamespace = new HashMap<>();
    /** Distinct required anti-affinity terms of bound pods → pods per topology domain. */
    private final Map<AffinityTermKey, Map<String, Integer>> antiAffinity = new HashMap<>();
    /** "key=value" of a term's first matchLabels entry → terms; terms without matchLabels under "". */
    private final Map<String, Set<AffinityTermKey>> antiByLabel = new HashMap<>();
    /** Pod key → the domains its anti-affinity terms were counted in (node labels may change later). */
    private final Map<String, List<String>> antiDomains = new HashMap<>();
    /** Controller uid → node → its pods there, for spreading replicas without touching every node. */
    private final Map<String, Map<String, Integer>> byOwner = new HashMap<>();
    private List<NodeInfo> list;
    private Map<String, Integer> position;

    private static final class Usage {
        long cpu;
        long memory;
        final Map<String, Integer> owners = new HashMap<>();
        final Map<String, PodInfo> pods = new LinkedHashMap<>();
    }

    /** Adds or replaces a node; true when this may let a waiting pod fit (new, or its fit-relevant fields changed). */
    public synchronized boolean upsertNode(Node node) {
        String name = node.metadata().name();
        NodeInfo old = infos.get(name);
        Node prev = old == null ? null : old.node();
        boolean added = old == null;
        infos.put(name, info(node, usage.get(name)));
        if (added) {
            list = null;
        } else {
            refresh(name);
        }
        return prev == null || prev.isReady() != node.isReady() || prev.isSchedulable() != node.isSchedulable()
                || !Objects.equals(prev.metadata().labels(), node.metadata().labels())
                || !Objects.equals(prev.spec(), node.spec())
                || !Objects.equals(prev.status() == null ? null : prev.status().allocatable(),
                        node.status() == null ? null : node.status().allocatable())
                || !Objects.equals(prev.status() == null ? null : prev.status().capacity(),
                        node.status() == null ? null : node.status().capacity());
    }

    public synchronized void removeNode(String name) {
        if (infos.remove(name) != null) {
            list = null;
        }
    }

    /**
     * Accounts a pod as the store now has it; true when this freed room on a node (the pod ended, moved or
     * was unbound).
     */
    public synchronized boolean updatePod(Pod pod) {
        String key = pod.key();
        PodInfo old = pods.get(key);
        String node = pod.nodeName();
        if (node == null || node.isEmpty() || pod.isTerminal()) {
            if (old != null && old.assumed() && (node == null || node.isEmpty()) && !pod.isTerminal()) {
                return false; // our binding is on its way; this event predates it
            }
            return remove(key) != null;
        }
        PodInfo fresh = PodInfo.of(pod, node, false);
        if (fresh.equals(old)) {
            return false;
        }
        remove(key);
        add(fresh);
        return old != null && !old.node().equals(node);
    }

    /** The pod object is gone; true when it had held room on a node. */
    public synchronized boolean removePod(Pod pod) {
        return remove(pod.key()) != null;
    }

    /** Counts the pod on the node before the binding is confirmed, so the next decision sees it. */
    public synchronized void assume(Pod pod, String node) {
        remove(pod.key());
        add(PodInfo.of(pod, node, true));
    }

    /** Undoes {@link #assume} after a failed binding (unless the store has confirmed something since). */
    public synchronized void forget(Pod pod) {
        PodInfo e = pods.get(pod.key());
        if (e != null && e.assumed()) {
            remove(pod.key());
        }
    }

    /** True when a pod of that key is bound or assumed somewhere. */
    public synchronized boolean contains(String podKey) {
        return pods.containsKey(podKey);
    }

    /** Takes a pod out of the accounting for a what-if (preemption); undo with {@link #restore}. */
    synchronized void hide(PodInfo p) {
        remove(p.key());
    }

    /** Puts back a pod taken out by {@link #hide}. */
    synchronized void restore(PodInfo p) {
        remove(p.key());
        add(p);
    }

    /** A copy of every known node with its accounted requests, ordered by name. */
    public synchronized List<NodeInfo> snapshot() {
        return List.copyOf(nodes());
    }

    public synchronized int nodeCount() {
        return infos.size();
    }

    public synchronized int podCount() {
        return pods.size();
    }

    /** The live, ordered node list; read it only while holding this cache's lock. */
    @Override
    public synchronized List<NodeInfo> nodes() {
        if (list == null) {
            list = new ArrayList<>(infos.values());
            position = new HashMap<>(list.size() * 2);
            for (int i = 0; i < list.size(); i++) {
                position.put(list.get(i).name(), i);
            }
        }
        return Collections.unmodifiableList(list);
    }

    @Override
    public synchronized NodeInfo nodeInfo(String name) {
        return infos.get(name);
    }

    @Override
    public synchronized void forEachMatchingPod(Collection<String> namespaces, LabelSelector selector,
                                                Consumer<PodInfo> action) {
        if (selector == null || selector.isEmpty()) {
            return;
        }
        for (String ns : namespaces) {
            Map<String, PodInfo> candidates = null;
            for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
                Map<String, PodInfo> bucket = byLabel.get(labelKey(ns, e.getKey(), e.getValue()));
                if (bucket == null) {
                    candidates = Map.of();
                    break;
                }
                if (candidates == null || bucket.size() < candidates.size()) {
                    candidates = bucket;
                }
            }
            if (candidates == null) {
                candidates = byNamespace.getOrDefault(ns, Map.of());
            }
            for (PodInfo p : candidates.values()) {
                if (selector.matches(p.labels())) {
                    action.accept(p);
                }
            }
        }
    }

    @Override
    public synchronized void forEachAntiAffinityAgainst(String namespace, Map<String, String> labels,
                                                        BiConsumer<AffinityTermKey, Map<String, Integer>> action) {
        if (antiAffinity.isEmpty()) {
            return;
        }
        Set<AffinityTermKey> seen = new HashSet<>();
        for (Map.Entry<String, String> l : labels.entrySet()) {
            visit(antiByLabel.get(l.getKey() + "=" + l.getValue()), namespace, labels, seen, action);
        }
        visit(antiByLabel.get(""), namespace, labels, seen, action);
    }

    private void visit(Set<AffinityTermKey> terms, String namespace, Map<String, String> labels,
                       Set<AffinityTermKey> seen, BiConsumer<AffinityTermKey, Map<String, Integer>> action) {
        if (terms == null) {
            return;
        }
        for (AffinityTermKey t : terms) {
            if (seen.add(t) && t.selects(namespace, labels)) {
                action.accept(t, antiAffinity.get(t));
            }
        }
    }

    @Override
    public synchronized Collection<PodInfo> podsOn(String node) {
        Usage u = usage.get(node);
        return u == null ? List.of() : List.copyOf(u.pods.values());
    }

    @Override
    public synchronized Map<String, Integer> podsOfOwnerByNode(String ownerUid) {
        Map<String, Integer> m = ownerUid == null ? null : byOwner.get(ownerUid);
        return m == null ? Map.of() : Collections.unmodifiableMap(m);
    }

    private static String labelKey(String ns, String k, String v) {
        return ns + '\0' + k + '=' + v;
    }

    private static NodeInfo info(Node n, Usage u) {
        return u == null ? NodeInfo.of(n) : new NodeInfo(n, u.cpu, u.memory, u.pods.size(), u.owners);
    }

    /** Rebuilds one node's NodeInfo after its pods changed. */
    private void refresh(String node) {
        NodeInfo old = infos.get(node);
        if (old == null) {
            return;
        }
        Usage u = usage.get(node);
        NodeInfo fresh = u == null ? old.withUsage(0, 0, 0, Map.of())
                : old.withUsage(u.cpu, u.memory, u.pods.size(), u.owners);
        infos.put(node, fresh);
        if (list != null) {
            Integer i = position.get(node);
            if (i == null) {
                list = null;
            } else {
                list.set(i, fresh);
            }
        }
    }

    private void add(PodInfo p) {
        pods.put(p.key(), p);
        Usage u = usage.computeIfAbsent(p.node(), k -> new Usage());
        u.cpu += p.cpu();
        u.memory += p.memory();
        u.pods.put(p.key(), p);
        if (p.owner() != null) {
            u.owners.merge(p.owner(), 1, Integer::sum);
            byOwner.computeIfAbsent(p.owner(), k -> new HashMap<>()).merge(p.node(), 1, Integer::sum);
        }
        String ns = p.namespace() == null ? "" : p.namespace();
        byNamespace.computeIfAbsent(ns, k -> new HashMap<>()).put(p.key(), p);
        for (Map.Entry<String, String> l : p.labels().entrySet()) {
            byLabel.computeIfAbsent(labelKey(ns, l.getKey(), l.getValue()), k -> new HashMap<>()).put(p.key(), p);
        }
        if (!p.requiredAntiAffinity().isEmpty()) {
            NodeInfo n = infos.get(p.node());
            List<String> domains = new ArrayList<>();
            for (var term : p.requiredAntiAffinity()) {
                String domain = n == null || term.topologyKey() == null ? null : n.label(term.topologyKey());
                domains.add(domain);
                if (domain != null) {
                    AffinityTermKey t = AffinityTermKey.of(term, ns);
                    antiAffinity.computeIfAbsent(t, k -> {
                        antiByLabel.computeIfAbsent(indexKey(k), x -> new HashSet<>()).add(k);
                        return new HashMap<>();
                    }).merge(domain, 1, Integer::sum);
                }
            }
            antiDomains.put(p.key(), domains);
        }
        refresh(p.node());
    }

    private PodInfo remove(String key) {
        PodInfo p = pods.remove(key);
        if (p == null) {
            return null;
        }
        Usage u = usage.get(p.node());
        u.cpu -= p.cpu();
        u.memory -= p.memory();
        u.pods.remove(key);
        if (p.owner() != null) {
            u.owners.computeIfPresent(p.owner(), (k, v) -> v <= 1 ? null : v - 1);
            Map<String, Integer> m = byOwner.get(p.owner());
            if (m != null) {
                m.computeIfPresent(p.node(), (k, v) -> v <= 1 ? null : v - 1);
                if (m.isEmpty()) {
                    byOwner.remove(p.owner());
                }
            }
        }
        if (u.pods.isEmpty()) {
            usage.remove(p.node());
        }
        String ns = p.namespace() == null ? "" : p.namespace();
        removeFrom(byNamespace, ns, key);
        for (Map.Entry<String, String> l : p.labels().entrySet()) {
            removeFrom(byLabel, labelKey(ns, l.getKey(), l.getValue()), key);
        }
        List<String> domains = antiDomains.remove(key);
        if (domains != null) {
            for (int i = 0; i < domains.size(); i++) {
                String domain = domains.get(i);
                if (domain == null) {
                    continue;
                }
                AffinityTermKey t = AffinityTermKey.of(p.requiredAntiAffinity().get(i), ns);
                Map<String, Integer> counts = antiAffinity.get(t);
                if (counts != null) {
                    counts.computeIfPresent(domain, (k, v) -> v <= 1 ? null : v - 1);
                    if (counts.isEmpty()) {
                        antiAffinity.remove(t);
                        Set<AffinityTermKey> idx = antiByLabel.get(indexKey(t));
                        if (idx != null && idx.remove(t) && idx.isEmpty()) {
                            antiByLabel.remove(indexKey(t));
                        }
                    }
                }
            }
        }
        refresh(p.node());
        return p;
    }

    private static String indexKey(AffinityTermKey t) {
        var first = t.selector().matchLabels().entrySet().stream().min(Map.Entry.comparingByKey());
        return first.map(e -> e.getKey() + "=" + e.getValue()).orElse("");
    }

    private static void removeFrom(Map<String, Map<String, PodInfo>> index, String bucket, String key) {
        Map<String, PodInfo> m = index.get(bucket);
        if (m != null && m.remove(key) != null && m.isEmpty()) {
            index.remove(bucket);
        }
    }
}
