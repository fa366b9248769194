package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.AlreadyExistsException;
import dev.capstan.engine.store.StateStore;
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
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a Deployment through ReplicaSets: one per pod template, named {@code <deployment>-<hash>} and
 * labelled {@code pod-template-hash=<hash>} ({@link TemplateHash}), controlled by the Deployment and
 * annotated with its rollout revision ({@link ReplicaSet#REVISION}: 1, 2, …; a template that comes back
 * takes the next number). A new template gets a new ReplicaSet; the rolling update ({@link RollingUpdate})
 * grows it within {@code maxSurge} and shrinks the old ones only while {@code replicas - maxUnavailable}
 * pods stay available (ready), so a service that had ready pods keeps some. When the Deployment is resized
 * while several sets have pods, the change is shared out in proportion to their sizes. Strategy
 * {@code Recreate} scales the old sets to zero first and starts the new one when their pods are gone. Keeps
 * {@code revisionHistoryLimit} (default 10) empty old ReplicaSets, the newest revisions. A rollout without
 * progress for {@code progressDeadlineSeconds} (default 600) gets {@code Progressing=False},
 * {@code ProgressDeadlineExceeded}, and a warning event ({@link DeploymentProgress}).
 * Key: {@code namespace/name} of the Deployment.
 */
public final class DeploymentController implements Controller {
    public static final String COMPONENT = "deployment-controller";

    private final StateStore store;
    private final EventRecorder events;
    private final Clock clock;

    public DeploymentController(StateStore store, EventRecorder events) {
        this(store, events, Clock.systemUTC());
    }

    /** With the clock that measures the progress deadline. */
    public DeploymentController(StateStore store, EventRecorder events, Clock clock) {
        this.store = store;
        this.events = events;
        this.clock = clock;
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
        if (d == null || d.metadata().deletionTimestamp() != null) {
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
        List<ReplicaSet> owned = owned(d);
        ReplicaSet found = owned.stream().filter(rs -> hash.equals(rs.metadata().label(ReplicaSet.TEMPLATE_HASH)))
                .findFirst().orElse(null);
        List<ReplicaSet> old = owned.stream().filter(rs -> rs != found).toList();
        int revision = old.stream().mapToInt(DeploymentController::revision).max().orElse(0) + 1;
        boolean recreate = d.spec().strategy() != null && "Recreate".equals(d.spec().strategy().type());
        int replicas = d.spec().replicas();
        boolean scaled;

        ReplicaSet newRs = found;
        if (newRs == null) {
            int start = recreate ? (oldPodsGone(old) ? replicas : 0)
                    : Math.max(0, Math.min(replicas, replicas + limits.maxSurge() - RollingUpdate.specReplicas(old)));
            newRs = createReplicaSet(d, hash, start, revision);
            scaled = true;
        } else {
            if (revision(newRs) < revision) {
                newRs = store.update(newRs.withMetadata(newRs.metadata()
                        .withAnnotation(ReplicaSet.REVISION, Integer.toString(revision))));
            }
            List<ReplicaSet> all = new ArrayList<>(old);
            all.add(newRs);
            List<ReplicaSet> active = all.stream().filter(rs -> rs.spec().replicas() > 0).toList();
            if (!recreate && active.size() > 1 && isScalingEvent(replicas, active)) {
                Map<ReplicaSet, Integer> sizes = RollingUpdate.proportional(replicas, limits, active);
                active.forEach(rs -> scale(d, rs, sizes.getOrDefault(rs, rs.spec().replicas())));
                scaled = !sizes.isEmpty();
            } else if (recreate) {
                scaled = rolloutRecreate(d, newRs, old, replicas);
            } else {
                scaled = rolloutRolling(d, newRs, old, replicas, limits);
            }
        }
        cleanUpHistory(d, old);
        List<ReplicaSet> now = owned(d);
        String newUid = newRs.metadata().uid();
        ReplicaSet current = now.stream().filter(rs -> rs.metadata().uid().equals(newUid)).findFirst().orElse(newRs);
        DeploymentProgress.Outcome outcome = DeploymentProgress.compute(d, current, now, limits, scaled, clock.instant());
        if (!outcome.status().equals(d.status())) {
            store.update(d.withStatus(outcome.status()));
        }
        if (outcome.timedOut()) {
            events.warning(d, DeploymentProgress.DEADLINE_EXCEEDED, "Deployment \"" + d.metadata().name()
                    + "\" exceeded its progress deadline: replica set " + current.metadata().name()
                    + " has had no progress for " + d.spec().progressDeadline() + "s");
        }
        return outcome.checkAfter() == null ? Result.done() : Result.requeueAfter(outcome.checkAfter().plusSeconds(1));
    }

    private List<ReplicaSet> owned(Deployment d) {
        return store.list(Kinds.REPLICA_SET, d.metadata().namespace()).stream()
                .filter(rs -> Owners.controlledBy(rs, d))
                .sorted(Comparator.comparingInt(DeploymentController::revision)
                        .thenComparing((ReplicaSet rs) -> String.valueOf(rs.metadata().creationTimestamp()))
                        .thenComparing(rs -> rs.metadata().name()))
                .toList();
    }

    /** The set's revision annotation; 0 when absent or unreadable. */
    static int revision(ReplicaSet rs) {
        String v = rs.metadata().annotation(ReplicaSet.REVISION);
        try {
            return v == null ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The Deployment was resized since some active set was last sized (Kubernetes' desired-replicas check). */
    private static boolean isScalingEvent(int replicas, List<ReplicaSet> active) {
        for (ReplicaSet rs : active) {
            String desired = rs.metadata().annotation(ReplicaSet.DESIRED_REPLICAS);
            if (desired != null && !desired.equals(Integer.toString(replicas))) {
                return true;
            }
        }
        return false;
    }

    private boolean rolloutRolling(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, int replicas,
                                   RollingUpdate.Limits limits) {
        List<ReplicaSet> all = new ArrayList<>(old);
        all.add(newRs);
        int target = RollingUpdate.newReplicas(replicas, limits, newRs, all);
        if (target != newRs.spec().replicas()) {
            scale(d, newRs, target);
            return true; // the ReplicaSet's change brings us back; old sets are judged on fresh status
        }
        Map<ReplicaSet, Integer> down = RollingUpdate.scaleDownOld(replicas, limits, newRs, old);
        down.forEach((rs, size) -> scale(d, rs, size));
        return !down.isEmpty();
    }

    private boolean rolloutRecreate(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, int replicas) {
        boolean scaledDown = false;
        for (ReplicaSet rs : old) {
            if (rs.spec().replicas() != 0) {
                scale(d, rs, 0);
                scaledDown = true;
            }
        }
        if (!scaledDown && oldPodsGone(old) && newRs.spec().replicas() != replicas) {
            scale(d, newRs, replicas);
            return true;
        }
        return scaledDown;
    }

    private static boolean oldPodsGone(List<ReplicaSet> old) {
        return old.stream().allMatch(rs -> rs.spec().replicas() == 0 && (rs.status() == null || rs.status().replicas() == 0));
    }

    private ReplicaSet createReplicaSet(Deployment d, String hash, int replicas, int revision) {
        PodTemplateSpec t = d.spec().template();
        ObjectMeta tm = t.metadata() == null ? ObjectMeta.of(null, null) : t.metadata();
        ObjectMeta podMeta = tm.withLabel(ReplicaSet.TEMPLATE_HASH, hash);
        Map<String, String> selector = new LinkedHashMap<>(
                d.spec().selector() == null ? tm.labels() : d.spec().selector().matchLabels());
        selector.put(ReplicaSet.TEMPLATE_HASH, hash);
        String name = d.metadata().name() + "-" + hash;
        Map<String, String> annotations = new LinkedHashMap<>(d.metadata().annotations());
        annotations.put(ReplicaSet.REVISION, Integer.toString(revision));
        annotations.put(ReplicaSet.DESIRED_REPLICAS, Integer.toString(d.spec().replicas()));
        ObjectMeta m = new ObjectMeta(name, d.metadata().namespace(), null, podMeta.labels(),
                annotations, null, null, null, null, List.of(OwnerReference.controlledBy(d)), null);
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
        String desired = Integer.toString(d.spec().replicas());
        if (from == size && desired.equals(rs.metadata().annotation(ReplicaSet.DESIRED_REPLICAS))) {
            return;
        }
        store.update(rs.withSpec(rs.spec().withReplicas(size))
                .withMetadata(rs.metadata().withAnnotation(ReplicaSet.DESIRED_REPLICAS, desired)));
        if (from != size) {
            events.normal(d, "ScalingReplicaSet", "Scaled " + (size > from ? "up" : "down") + " replica set "
                    + rs.metadata().name() + " from " + from + " to " + size);
        }
    }

    /** Deletes the oldest empty old ReplicaSets beyond the Deployment's revisionHistoryLimit. */
    private void cleanUpHistory(Deployment d, List<ReplicaSet> old) {
        List<ReplicaSet> empty = old.stream()
                .filter(rs -> rs.metadata().deletionTimestamp() == null)
                .filter(rs -> rs.spec().replicas() == 0 && (rs.status() == null || rs.status().replicas() == 0))
                .toList(); // oldest revision first
        for (int i = 0; i < empty.size() - d.spec().historyLimit(); i++) {
            ObjectMeta m = empty.get(i).metadata();
            store.delete(Kinds.REPLICA_SET, m.namespace(), m.name(), m.resourceVersion());
        }
    }
}
