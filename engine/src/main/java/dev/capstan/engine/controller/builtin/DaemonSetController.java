package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.DaemonSet;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.Toleration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one pod of a DaemonSet's template on every eligible node: a node whose labels match the template's
 * {@code nodeSelector} and whose {@code NoSchedule}/{@code NoExecute} taints the template tolerates (the
 * node-lifecycle taints {@code not-ready}, {@code unreachable} and {@code unschedulable} are tolerated
 * always, and cordoned nodes still run their daemons, as in Kubernetes). The pod is created bound to its
 * node ({@code spec.nodeName}); the scheduler leaves it alone. A node added gets its pod, a node that stops
 * matching or goes away loses it, a second pod on one node is removed, and a failed pod is replaced. With the
 * default {@code RollingUpdate} strategy a new template replaces one node's pod at a time, only while every
 * other node's pod is ready ({@code maxUnavailable} 1); {@code OnDelete} waits for pods to be deleted.
 * Pods carry {@code controller-revision-hash} (the template's {@link TemplateHash}).
 * Key: {@code namespace/name} of the DaemonSet.
 */
public final class DaemonSetController implements Controller {
    public static final String COMPONENT = "daemonset-controller";
    public static final String REVISION_HASH = "controller-revision-hash";
    private static final Set<String> LIFECYCLE_TAINTS = Set.of("node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable");

    private final StateStore store;
    private final EventRecorder events;
    private final Clock clock;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public DaemonSetController(StateStore store, EventRecorder events, Clock clock) {
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "daemonset";
    }

    @Override
    public void watches(Watches w) {
        w.on(Kinds.DAEMON_SET, e -> {
            if (e.type() == WatchEvent.Type.DELETED) {
                known.remove(e.object().key());
            } else {
                known.add(e.object().key());
            }
            return List.of(e.object().key());
        });
        w.on(Kinds.POD, e -> Owners.controllerKey(e.object(), "DaemonSet"));
        w.on(Kinds.NODE, e -> List.copyOf(known)); // a node added, relabelled, tainted or gone
    }

    @Override
    public Collection<String> resyncKeys() {
        List<String> keys = store.list(Kinds.DAEMON_SET, null).stream().map(KubeObject::key).toList();
        known.addAll(keys);
        return keys;
    }

    /** True when a pod of this template belongs on the node. */
    static boolean eligible(PodSpec template, Node node) {
        Map<String, String> labels = node.metadata().labels();
        for (Map.Entry<String, String> e : template.nodeSelector().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        List<Node.Taint> taints = node.spec() == null ? List.of() : node.spec().taints();
        for (Node.Taint t : taints) {
            boolean hard = "NoSchedule".equals(t.effect()) || "NoExecute".equals(t.effect());
            if (hard && !LIFECYCLE_TAINTS.contains(t.key())
                    && template.tolerations().stream().noneMatch((Toleration tol) -> tol.tolerates(t))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Result reconcile(String key) {
        String[] nn = Owners.split(key);
        DaemonSet ds = store.get(Kinds.DAEMON_SET, nn[0], nn[1]).orElse(null);
        if (ds == null || ds.metadata().deletionTimestamp() != null) {
            return Result.done();
        }
        if (ds.spec() == null || ds.spec().template() == null || ds.spec().template().spec() == null) {
            events.warning(ds, "InvalidSpec", "daemon set has no pod template");
            return Result.done();
        }
        PodSpec template = ds.spec().template().spec();
        String hash = TemplateHash.of(ds.spec().template());
        List<Pod> owned = store.list(Kinds.POD, nn[0]).stream().filter(p -> Owners.controlledBy(p, ds)).toList();
        Map<String, Node> nodes = new HashMap<>();
        store.list(Kinds.NODE, null).forEach(n -> nodes.put(n.metadata().name(), n));
        Map<String, List<Pod>> live = new HashMap<>();
        Set<String> terminating = new java.util.HashSet<>();
        for (Pod p : owned) {
            if (PodDeletion.isTerminating(p)) {
                terminating.add(p.nodeName());
            } else if (p.isTerminal()) {
                delete(ds, p, "Deleted failed pod: ");
                terminating.add(p.nodeName());
            } else if (p.nodeName() != null && !nodes.containsKey(p.nodeName())) {
                PodDeletion.forceDelete(store, p); // its node is gone: no agent will stop it
                events.normal(ds, "SuccessfulDelete", "Deleted pod: " + p.metadata().name() + " (node gone)");
            } else {
                live.computeIfAbsent(p.nodeName(), n -> new ArrayList<>()).add(p);
            }
        }
        int desired = 0;
        int scheduled = 0;
        int misscheduled = 0;
        int ready = 0;
        int updated = 0;
        int unavailable = 0;
        List<Pod> outdated = new ArrayList<>();
        for (Node node : nodes.values().stream().sorted(Comparator.comparing(n -> n.metadata().name())).toList()) {
            String name = node.metadata().name();
            List<Pod> here = new ArrayList<>(live.getOrDefault(name, List.of()));
            here.sort(Comparator.comparing((Pod p) -> String.valueOf(p.metadata().creationTimestamp()))
                    .thenComparing(p -> p.metadata().name()));
            if (!eligible(template, node)) {
                misscheduled += here.size();
                here.forEach(p -> delete(ds, p, "Deleted pod from a node it no longer fits: "));
                continue;
            }
            desired++;
            if (here.isEmpty()) {
                unavailable++;
                if (!terminating.contains(name)) {
                    Pod created = store.create(podFor(ds, hash, name));
                    events.normal(ds, "SuccessfulCreate", "Created pod: " + created.metadata().name()
                            + " on node " + name);
                }
                continue;
            }
            here.subList(1, here.size()).forEach(p -> delete(ds, p, "Deleted extra pod: "));
            Pod pod = here.get(0);
            scheduled++;
            if (pod.isReady()) {
                ready++;
            } else {
                unavailable++;
            }
            if (hash.equals(pod.metadata().label(REVISION_HASH))) {
                updated++;
            } else {
                outdated.add(pod);
            }
        }
        boolean onDelete = ds.spec().updateStrategy() != null && "OnDelete".equals(ds.spec().updateStrategy().type());
        if (!onDelete && unavailable == 0 && !outdated.isEmpty()) {
            delete(ds, outdated.get(0), "Deleted pod for the new template: ");
        }
        DaemonSet.Status status = new DaemonSet.Status(desired, scheduled, misscheduled, ready, updated, ready,
                ds.metadata().generation());
        if (!status.equals(ds.status())) {
            store.update(ds.withStatus(status));
        }
        return Result.done();
    }

    private void delete(DaemonSet ds, Pod p, String why) {
        if (PodDeletion.deleteGracefully(store, p, clock)) {
            events.normal(ds, "SuccessfulDelete", why + p.metadata().name());
        }
    }

    /** The node's pod: generateName {@code <ds>-}, template labels plus the revision hash, bound to the node. */
    static Pod podFor(DaemonSet ds, String hash, String node) {
        PodTemplateSpec t = ds.spec().template();
        ObjectMeta tm = t.metadata() == null ? ObjectMeta.of(null, null) : t.metadata();
        ObjectMeta m = new ObjectMeta(null, ds.metadata().namespace(), null, tm.withLabel(REVISION_HASH, hash).labels(),
                tm.annotations(), null, null, null, null, List.of(OwnerReference.controlledBy(ds)),
                ds.metadata().name() + "-");
        return new Pod(m, t.spec().withNodeName(node), Pod.Status.pending(null, null, null));
    }
}
