package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.AlreadyExistsException;
import dev.capstan.engine.store.StateStore;
import dev.capstan.model.Condition;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.ReplicaSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a Deployment through ReplicaSets: one per pod template, named {@code <deployment>-<hash>} and
 * labelled {@code pod-template-hash=<hash>} ({@link TemplateHash}), controlled by the Deployment. A new
 * template gets a new ReplicaSet; the rolling update ({@link RollingUpdate}) grows it within
 * {@code maxSurge} and shrinks the old ones only while {@code replicas - maxUnavailable} pods stay
 * available (ready), so a service that had ready pods keeps some. Strategy {@code Recreate} scales the old
 * sets to zero first and starts the new one when their pods are gone. Keeps the newest
 * {@value #HISTORY_LIMIT} empty old ReplicaSets. Key: {@code namespace/name} of the Deployment.
 */
public final class DeploymentController implements Controller {
    public static final String COMPONENT = "deployment-controller";
    static final int HISTORY_LIMIT = 5;

    private final StateStore store;
    private final EventRecorder events;

    public DeploymentController(StateStore store, EventRecorder events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public String name() {
        return "deployment";
    }

    @Override
    public void watches(Watches w) {
        w.on(Kinds.DEPLOYMENT, e -> List.of(e.object().key()));
        w.on(Kinds.REPLICA_SET, e -> Owners.controllerKey(e.object(), "Deployment"));
    }

    @Override
    public Collection<String> resyncKeys() {
        return store.list(Kinds.DEPLOYMENT, null).stream().map(KubeObject::key).toList();
    }

    @Override
    public Result reconcile(String key) {
        String[] nn = Owners.split(key);
        Deployment d = store.get(Kinds.DEPLOYMENT, nn[0], nn[1]).orElse(null);
        if (d == null) {
            return Result.done();
        }
        if (d.spec() == null || d.spec().template() == null || d.spec().template().spec() == null) {
            events.warning(d, "InvalidSpec", "deployment has no pod template");
            return Result.done();
        }
        RollingUpdate.Limits limits;
        try {
            limits = RollingUpdate.Limits.of(d.spec());
        } catch (IllegalArgumentException e) {
            events.warning(d, "InvalidSpec", e.getMessage());
            return Result.done();
        }
        String hash = TemplateHash.of(d.spec().template());
        List<ReplicaSet> owned = store.list(Kinds.REPLICA_SET, nn[0]).stream()
                .filter(rs -> Owners.controlledBy(rs, d))
                .sorted(Comparator.comparing((ReplicaSet rs) -> String.valueOf(rs.metadata().creationTimestamp()))
                        .thenComparing(rs -> rs.metadata().name()))
                .toList();
        ReplicaSet found = owned.stream().filter(rs -> hash.equals(rs.metadata().label(ReplicaSet.TEMPLATE_HASH)))
                .findFirst().orElse(null);
        List<ReplicaSet> old = owned.stream().filter(rs -> rs != found).toList();
        ReplicaSet newRs = found;
        boolean recreate = d.spec().strategy() != null && "Recreate".equals(d.spec().strategy().type());
        int replicas = d.spec().replicas();

        if (newRs == null) {
            int start = recreate ? (oldPodsGone(old) ? replicas : 0)
                    : Math.max(0, Math.min(replicas, replicas + limits.maxSurge() - RollingUpdate.specReplicas(old)));
            newRs = createReplicaSet(d, hash, start);
        } else if (recreate) {
            rolloutRecreate(d, newRs, old, replicas);
        } else {
            rolloutRolling(d, newRs, old, replicas, limits);
        }
        cleanUpHistory(old);
        updateStatus(d, newRs, store.list(Kinds.REPLICA_SET, nn[0]).stream()
                .filter(rs -> Owners.controlledBy(rs, d)).toList(), replicas, limits);
        return Result.done();
    }

    private void rolloutRolling(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, int replicas,
                                RollingUpdate.Limits limits) {
        List<ReplicaSet> all = new ArrayList<>(old);
        all.add(newRs);
        int target = RollingUpdate.newReplicas(replicas, limits, newRs, all);
        if (target != newRs.spec().replicas()) {
            scale(d, newRs, target);
            return; // the ReplicaSet's change brings us back; old sets are judged on fresh status
        }
        RollingUpdate.scaleDownOld(replicas, limits, newRs, old).forEach((rs, size) -> scale(d, rs, size));
    }

    private void rolloutRecreate(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, int replicas) {
        boolean scaledDown = false;
        for (ReplicaSet rs : old) {
            if (rs.spec().replicas() != 0) {
                scale(d, rs, 0);
                scaledDown = true;
            }
        }
        if (!scaledDown && oldPodsGone(old) && newRs.spec().replicas() != replicas) {
            scale(d, newRs, replicas);
        }
    }

    private static boolean oldPodsGone(List<ReplicaSet> old) {
        return old.stream().allMatch(rs -> rs.spec().replicas() == 0 && (rs.status() == null || rs.status().replicas() == 0));
    }

    private ReplicaSet createReplicaSet(Deployment d, String hash, int replicas) {
        PodTemplateSpec t = d.spec().template();
        ObjectMeta tm = t.metadata() == null ? ObjectMeta.of(null, null) : t.metadata();
        ObjectMeta podMeta = tm.withLabel(ReplicaSet.TEMPLATE_HASH, hash);
        Map<String, String> selector = new LinkedHashMap<>(
                d.spec().selector() == null ? tm.labels() : d.spec().selector().matchLabels());
        selector.put(ReplicaSet.TEMPLATE_HASH, hash);
        String name = d.metadata().name() + "-" + hash;
        ObjectMeta m = new ObjectMeta(name, d.metadata().namespace(), null, podMeta.labels(),
                d.metadata().annotations(), null, null, null, null, List.of(OwnerReference.controlledBy(d)), null);
        ReplicaSet rs = new ReplicaSet(m, new ReplicaSet.Spec(replicas, new LabelSelector(selector),
                new PodTemplateSpec(podMeta, t.spec())), null);
        try {
            rs = store.create(rs);
        } catch (AlreadyExistsException e) {
            throw new AlreadyExistsException("replica set " + name + " exists but is not controlled by deployment "
                    + d.metadata().name() + " (the garbage collector removes orphans)");
        }
        events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + name + " from 0 to " + replicas);
        return rs;
    }

    private void scale(Deployment d, ReplicaSet rs, int size) {
        int from = rs.spec().replicas();
        store.update(rs.withSpec(rs.spec().withReplicas(size)));
        events.normal(d, "ScalingReplicaSet", "Scaled " + (size > from ? "up" : "down") + " replica set "
                + rs.metadata().name() + " from " + from + " to " + size);
    }

    private void cleanUpHistory(List<ReplicaSet> old) {
        List<ReplicaSet> empty = old.stream()
                .filter(rs -> rs.spec().replicas() == 0 && (rs.status() == null || rs.status().replicas() == 0))
                .toList();
        for (int i = 0; i < empty.size() - HISTORY_LIMIT; i++) {
            ObjectMeta m = empty.get(i).metadata();
            store.delete(Kinds.REPLICA_SET, m.namespace(), m.name(), m.resourceVersion());
        }
    }

    private void updateStatus(Deployment d, ReplicaSet newRs, List<ReplicaSet> all, int replicas,
                              RollingUpdate.Limits limits) {
        ReplicaSet current = all.stream().filter(rs -> rs.metadata().uid().equals(newRs.metadata().uid()))
                .findFirst().orElse(newRs);
        int total = 0;
        int ready = 0;
        int available = 0;
        for (ReplicaSet rs : all) {
            if (rs.status() != null) {
                total += rs.status().replicas();
                ready += rs.status().readyReplicas();
                available += rs.status().availableReplicas();
            }
        }
        int updated = current.status() == null ? 0 : current.status().replicas();
        boolean minAvailable = available >= replicas - limits.maxUnavailable();
        boolean complete = updated == replicas && total == replicas && RollingUpdate.available(current) == replicas;
        List<Condition> previous = d.status() == null ? List.of() : d.status().conditions();
        List<Condition> conditions = List.of(
                condition(previous, "Available", minAvailable,
                        minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                        minAvailable ? "Deployment has minimum availability."
                                : "Deployment does not have minimum availability."),
                condition(previous, "Progressing", true,
                        complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                        "ReplicaSet \"" + current.metadata().name() + "\" "
                                + (complete ? "has successfully progressed." : "is progressing.")));
        Deployment.Status s = new Deployment.Status(d.metadata().generation(), total, updated, ready, available,
                conditions);
        if (!s.equals(d.status())) {
            store.update(d.withStatus(s));
        }
    }

    /** Keeps the previous condition (and its transition time) when nothing about it changed. */
    private static Condition condition(List<Condition> previous, String type, boolean status, String reason,
                                       String message) {
        for (Condition c : previous) {
            if (type.equals(c.type()) && c.isTrue() == status && reason.equals(c.reason())
                    && message.equals(c.message())) {
                return c;
            }
        }
        return Condition.of(type, status, reason, message);
    }
}
