package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.ReplicaSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps {@code spec.replicas} live pods (not Succeeded/Failed, no deletionTimestamp) for each ReplicaSet.
 * Pods are created from the template with generateName {@code <rs>-} and a controller ownerReference to
 * the ReplicaSet; pods that ended (Succeeded or Failed) are deleted and replaced; surplus pods are deleted
 * preferring unscheduled, then not ready, then newest. Deletion is graceful ({@link PodDeletion}). Nothing
 * is created or deleted while earlier creations/deletions are not yet visible ({@link Expectations}); an
 * expectation is recorded only after the write succeeded, so a failed write never blocks the set.
 * Key: {@code namespace/name} of the ReplicaSet.
 */
public final class ReplicaSetController implements Controller {
    public static final String COMPONENT = "replicaset-controller";

    private final StateStore store;
    private final EventRecorder events;
    private final Clock clock;
    private final Expectations expectations;

    public ReplicaSetController(StateStore store, EventRecorder events, Clock clock, Duration expectationsTimeout) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.expectations = new Expectations(clock, expectationsTimeout);
    }

    @Override
    public String name() {
        return "replicaset";
    }

    @Override
    public void watches(Watches w) {
        w.on(Kinds.REPLICA_SET, e -> List.of(e.object().key()));
        w.on(Kinds.POD, this::podEvent);
    }

    private Collection<String> podEvent(WatchEvent<Pod> e) {
        Collection<String> owner = Owners.controllerKey(e.object(), "ReplicaSet");
        if (e.type() == WatchEvent.Type.DELETED) {
            owner.forEach(k -> expectations.observeGone(k, e.object()));
        }
        return owner;
    }

    @Override
    public Collection<String> resyncKeys() {
        return store.list(Kinds.REPLICA_SET, null).stream().map(KubeObject::key).toList();
    }

    @Override
    public Result reconcile(String key) {
        String[] nn = Owners.split(key);
        ReplicaSet rs = store.get(Kinds.REPLICA_SET, nn[0], nn[1]).orElse(null);
        if (rs == null) {
            expectations.forget(key);
            return Result.done();
        }
        if (rs.spec() == null || rs.spec().template() == null || rs.spec().template().spec() == null) {
            events.warning(rs, "InvalidSpec", "replica set has no pod template");
            return Result.done();
        }
        List<Pod> owned = store.list(Kinds.POD, nn[0]).stream().filter(p -> Owners.controlledBy(p, rs)).toList();
        List<Pod> live = new ArrayList<>(owned.stream().filter(PodDeletion::isLive).toList());
        boolean mayAct = expectations.satisfied(key, owned);
        if (mayAct) {
            for (Pod p : owned) {
                if (p.isTerminal() && !PodDeletion.isTerminating(p) && PodDeletion.deleteGracefully(store, p, clock)) {
                    expectations.expectDeletion(key, p.metadata().uid());
                    events.normal(rs, "SuccessfulDelete", "Deleted pod: " + p.metadata().name() + " (" + p.phase() + ")");
                }
            }
            int diff = live.size() - rs.spec().replicas();
            if (diff < 0) {
                for (int i = 0; i < -diff; i++) {
                    Pod created = store.create(podFor(rs));
                    expectations.expectCreation(key, created.metadata().name());
                    events.normal(rs, "SuccessfulCreate", "Created pod: " + created.metadata().name());
                    live.add(created);
                }
            } else if (diff > 0) {
                List<Pod> victims = live.stream().sorted(DELETE_FIRST).limit(diff).toList();
                for (Pod p : victims) {
                    if (PodDeletion.deleteGracefully(store, p, clock)) {
                        expectations.expectDeletion(key, p.metadata().uid());
                        events.normal(rs, "SuccessfulDelete", "Deleted pod: " + p.metadata().name());
                    }
                    live.remove(p);
                }
            }
        }
        updateStatus(rs, live);
        return mayAct ? Result.done() : Result.retry("waiting for " + expectations.describe(key) + " to show");
    }

    private void updateStatus(ReplicaSet rs, List<Pod> live) {
        int ready = (int) live.stream().filter(Pod::isReady).count();
        ReplicaSet.Status s = new ReplicaSet.Status(live.size(), ready, ready, rs.metadata().generation());
        if (!s.equals(rs.status())) {
            store.update(rs.withStatus(s));
        }
    }

    /** A new pod from the ReplicaSet's template: generateName {@code <rs>-}, template labels, owner reference. */
    static Pod podFor(ReplicaSet rs) {
        PodTemplateSpec t = rs.spec().template();
        ObjectMeta tm = t.metadata() == null ? ObjectMeta.of(null, null) : t.metadata();
        ObjectMeta m = new ObjectMeta(null, rs.metadata().namespace(), null, tm.labels(), tm.annotations(), null,
                null, null, null, List.of(OwnerReference.controlledBy(rs)), rs.metadata().name() + "-");
        return new Pod(m, t.spec().withNodeName(null), Pod.Status.pending(null, null, null));
    }

    /** Scale-down order: unscheduled first, then not ready, then newest. */
    static final Comparator<Pod> DELETE_FIRST = Comparator
            .comparing((Pod p) -> p.nodeName() != null && !p.nodeName().isEmpty())
            .thenComparing(Pod::isReady)
            .thenComparing((Pod p) -> String.valueOf(p.metadata().creationTimestamp()), Comparator.reverseOrder())
            .thenComparing((Pod p) -> p.metadata().name(), Comparator.reverseOrder());
}
