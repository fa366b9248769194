package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Event;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import dev.capstan.model.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what lost its owner, one namespace per key: ReplicaSets, Pods and Endpoints whose controller
 * ownerReference (a Deployment, ReplicaSet, Job, DaemonSet or Service) names a uid that no longer exists (owner deleted, or deleted and recreated under the
 * same name), ReplicaSets first so their pods go in the same pass; Endpoints whose Service is gone; and
 * Events not seen again for {@code eventTtl}. Pods go gracefully ({@link PodDeletion}). Pods bound to a
 * node that does not exist (nobody would ever finish their graceful deletion) are deleted outright once
 * they are older than {@value #ORPHAN_QUARANTINE_SECONDS} s, as Kubernetes' pod GC does. Key: a namespace.
 */
public final class GarbageCollector implements Controller {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    /** Dependents, owners before their dependents. */
    private static final List<Kind<? extends KubeObject>> DEPENDENTS =
            List.of(Kinds.REPLICA_SET, Kinds.POD, Kinds.ENDPOINTS);
    static final long ORPHAN_QUARANTINE_SECONDS = 40;

    private final StateStore store;
    private final Clock clock;
    private final Duration eventTtl;

    public GarbageCollector(StateStore store, Clock clock, Duration eventTtl) {
        this.store = store;
        this.clock = clock;
        this.eventTtl = eventTtl;
    }

    @Override
    public String name() {
        return "garbage-collector";
    }

    @Override
    public void watches(Watches w) {
        w.on(Kinds.DEPLOYMENT, GarbageCollector::onDeleted);
        w.on(Kinds.SERVICE, GarbageCollector::onDeleted);
        w.on(Kinds.JOB, GarbageCollector::onDeleted);
        w.on(Kinds.DAEMON_SET, GarbageCollector::onDeleted);
        w.on(Kinds.REPLICA_SET, e -> e.type() != WatchEvent.Type.MODIFIED ? namespaceOf(e) : List.of());
        w.on(Kinds.POD, e -> e.type() == WatchEvent.Type.ADDED ? namespaceOf(e) : List.of());
        w.on(Kinds.ENDPOINTS, e -> e.type() == WatchEvent.Type.ADDED ? namespaceOf(e) : List.of());
    }

    private static <T extends KubeObject> Collection<String> onDeleted(WatchEvent<T> e) {
        return e.type() == WatchEvent.Type.DELETED ? namespaceOf(e) : List.of();
    }

    private static <T extends KubeObject> Collection<String> namespaceOf(WatchEvent<T> e) {
        String ns = e.object().metadata().namespace();
        return ns == null ? List.of() : List.of(ns);
    }

    @Override
    public Collection<String> resyncKeys() {
        Set<String> namespaces = new TreeSet<>();
        for (Kind<? extends KubeObject> k : List.of(Kinds.REPLICA_SET, Kinds.POD, Kinds.ENDPOINTS, Kinds.EVENT)) {
            store.list(k, null).forEach(o -> namespaces.add(o.metadata().namespace()));
        }
        return namespaces;
    }

    @Override
    public Result reconcile(String namespace) {
        Map<String, Set<String>> uidsByKind = new HashMap<>();
        for (Kind<? extends KubeObject> kind : DEPENDENTS) {
            for (KubeObject o : store.list(kind, namespace)) {
                OwnerReference ref = o.metadata().controller();
                if (ref != null && ref.uid() != null && !ownerExists(namespace, ref, uidsByKind)) {
                    delete(kind, o);
                    Set<String> own = uidsByKind.get(kind.kind());
                    if (own != null) {
                        own.remove(o.metadata().uid());
                    }
                } else if (o instanceof Endpoints ep && ref == null
                        && store.get(Kinds.SERVICE, namespace, ep.metadata().name()).isEmpty()) {
                    delete(kind, o);
                }
            }
        }
        expireEvents(namespace);
        return deletePodsOfMissingNodes(namespace);
    }

    private Result deletePodsOfMissingNodes(String namespace) {
        Set<String> nodes = null;
        Result result = Result.done();
        Instant now = clock.instant();
        for (Pod p : store.list(Kinds.POD, namespace)) {
            if (p.nodeName() == null || p.nodeName().isEmpty()) {
                continue;
            }
            if (nodes == null) {
                nodes = store.list(Kinds.NODE, null).stream().map(n -> n.metadata().name()).collect(Collectors.toSet());
            }
            if (nodes.contains(p.nodeName())) {
                continue;
            }
            Instant created = p.metadata().creationTimestamp() == null ? now : Times.parse(p.metadata().creationTimestamp());
            Instant due = created.plusSeconds(ORPHAN_QUARANTINE_SECONDS);
            if (now.isBefore(due)) {
                result = result.sooner(Result.requeueAfter(Duration.between(now, due)));
            } else if (PodDeletion.forceDelete(store, p)) {
                LOG.info("deleted pod {}: its node {} does not exist", p.key(), p.nodeName());
            }
        }
        return result;
    }

    private boolean ownerExists(String namespace, OwnerReference ref, Map<String, Set<String>> uidsByKind) {
        Optional<Kind<?>> kind = Kinds.find(ref.kind());
        if (kind.isEmpty() || !kind.get().kind().equals(ref.kind())) {
            return true; // not a kind we store: not ours to judge
        }
        Set<String> uids = uidsByKind.computeIfAbsent(ref.kind(), k -> store.list(kind.get(),
                kind.get().namespaced() ? namespace : null).stream().map(o -> o.metadata().uid())
                .collect(Collectors.toSet()));
        return uids.contains(ref.uid());
    }

    private void delete(Kind<? extends KubeObject> kind, KubeObject o) {
        ObjectMeta m = o.metadata();
        try {
            if (o instanceof Pod pod) {
                if (PodDeletion.deleteGracefully(store, pod, clock)) {
                    LOG.info("garbage-collected pod {} (owner {} is gone)", o.key(), describe(m));
                }
            } else if (store.delete(kind, m.namespace(), m.name(), m.resourceVersion())) {
                LOG.info("garbage-collected {} {} (owner {} is gone)", kind.singular(), o.key(), describe(m));
            }
        } catch (ConflictException changed) {
            LOG.debug("{} {} changed while collecting it; next pass decides", kind.singular(), o.key());
        }
    }

    private static String describe(ObjectMeta m) {
        OwnerReference ref = m.controller();
        return ref == null ? "service" : ref.kind() + " " + ref.name() + " uid " + ref.uid();
    }

    private void expireEvents(String namespace) {
        Instant cutoff = clock.instant().minus(eventTtl);
        for (Event e : store.list(Kinds.EVENT, namespace)) {
            String last = e.lastTimestamp() != null ? e.lastTimestamp() : e.metadata().creationTimestamp();
            if (last != null && Times.parse(last).isBefore(cutoff)) {
                try {
                    store.delete(Kinds.EVENT, namespace, e.metadata().name(), e.metadata().resourceVersion());
                } catch (ConflictException bumped) {
                    // recorded again meanwhile: keep it
                }
            }
        }
    }
}
