package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.StateStore;
import dev.capstan.model.Condition;
import dev.capstan.model.Job;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.Times;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Runs a Job's pods to completion, as Kubernetes' job controller does: keeps
 * {@code min(parallelism, completions - succeeded)} pods running, counts pods that ended {@code Succeeded}
 * and {@code Failed} (with restart policy {@code OnFailure}, container restarts count as failures too), marks
 * the job {@code Complete} once {@code completions} pods succeeded and {@code Failed} (reason
 * {@code BackoffLimitExceeded}) once failures exceed {@code backoffLimit}, then stops its running pods. Ended
 * pods are kept for their logs; they go with the job (garbage collection by owner). The store is read
 * directly (no cache), so the pod count is never stale and no expectations are needed.
 * Key: {@code namespace/name} of the Job.
 */
public final class JobController implements Controller {
    public static final String COMPONENT = "job-controller";

    private final StateStore store;
    private final EventRecorder events;
    private final Clock clock;

    public JobController(StateStore store, EventRecorder events, Clock clock) {
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "job";
    }

    @Override
    public void watches(Watches w) {
        w.on(Kinds.JOB, e -> List.of(e.object().key()));
        w.on(Kinds.POD, e -> Owners.controllerKey(e.object(), "Job"));
    }

    @Override
    public Collection<String> resyncKeys() {
        return store.list(Kinds.JOB, null).stream().map(KubeObject::key).toList();
    }

    @Override
    public Result reconcile(String key) {
        String[] nn = Owners.split(key);
        Job job = store.get(Kinds.JOB, nn[0], nn[1]).orElse(null);
        if (job == null || job.metadata().deletionTimestamp() != null) {
            return Result.done();
        }
        Job.Spec spec = job.spec();
        if (spec == null || spec.template() == null || spec.template().spec() == null) {
            events.warning(job, "InvalidSpec", "job has no pod template");
            return Result.done();
        }
        String restart = spec.template().spec().restartPolicy();
        if (restart != null && !restart.equals("Never") && !restart.equals("OnFailure")) {
            events.warning(job, "InvalidSpec", "a job's restart policy is Never or OnFailure, not " + restart);
            return Result.done();
        }
        List<Pod> pods = store.list(Kinds.POD, nn[0]).stream().filter(p -> Owners.controlledBy(p, job)).toList();
        int succeeded = (int) pods.stream().filter(p -> Pod.SUCCEEDED.equals(p.phase())).count();
        int failed = (int) pods.stream().filter(p -> Pod.FAILED.equals(p.phase())).count();
        if ("OnFailure".equals(restart)) {
            failed += pods.stream().filter(p -> p.status() != null)
                    .flatMap(p -> p.status().containerStatuses().stream()).mapToInt(Pod.ContainerStatus::restartCount).sum();
        }
        List<Pod> active = new ArrayList<>(pods.stream().filter(p -> !p.isTerminal() && PodDeletion.isLive(p)).toList());
        int completions = spec.completionsOrDefault();
        List<Condition> conditions = new ArrayList<>(job.status() == null ? List.of() : job.status().conditions());
        String completionTime = job.status() == null ? null : job.status().completionTime();
        String now = Times.format(clock.instant());

        if (!job.isFinished()) {
            if (succeeded >= completions) {
                conditions.add(new Condition("Complete", "True", null, null, now, null));
                completionTime = now;
                events.normal(job, "Completed", "Job completed");
            } else if (failed > spec.backoffLimitOrDefault()) {
                conditions.add(new Condition("Failed", "True", "BackoffLimitExceeded",
                        "Job has reached the specified backoff limit", now, null));
                events.warning(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit ("
                        + spec.backoffLimitOrDefault() + "): " + failed + " failed");
            } else {
                int want = Math.min(spec.parallelismOrDefault(), completions - succeeded);
                for (int i = active.size(); i < want; i++) {
                    Pod created = store.create(podFor(job));
                    active.add(created);
                    events.normal(job, "SuccessfulCreate", "Created pod: " + created.metadata().name());
                }
                for (int i = active.size() - 1; i >= Math.max(want, 0); i--) {
                    Pod extra = active.remove(i);
                    if (PodDeletion.deleteGracefully(store, extra, clock)) {
                        events.normal(job, "SuccessfulDelete", "Deleted pod: " + extra.metadata().name());
                    }
                }
            }
        }
        Job.Status before = job.status();
        boolean finished = conditions.stream().anyMatch(c -> c.isTrue()
                && (c.type().equals("Complete") || c.type().equals("Failed")));
        if (finished) {
            for (Pod p : active) {
                if (PodDeletion.deleteGracefully(store, p, clock)) {
                    events.normal(job, "SuccessfulDelete", "Deleted pod: " + p.metadata().name());
                }
            }
            active.clear();
        }
        String start = before != null && before.startTime() != null ? before.startTime() : now;
        Job.Status status = new Job.Status(active.size(), succeeded, failed, start, completionTime, conditions);
        if (!status.equals(before)) {
            store.update(job.withStatus(status));
        }
        return Result.done();
    }

    /** A new pod from the job's template: generateName {@code <job>-}, label {@code job-name}, owner reference. */
    static Pod podFor(Job job) {
        PodTemplateSpec t = job.spec().template();
        ObjectMeta tm = t.metadata() == null ? ObjectMeta.of(null, null) : t.metadata();
        ObjectMeta m = new ObjectMeta(null, job.metadata().namespace(), null,
                tm.withLabel(Job.JOB_NAME, job.metadata().name()).labels(), tm.annotations(), null, null, null, null,
                List.of(OwnerReference.controlledBy(job)), job.metadata().name() + "-");
        var spec = t.spec().restartPolicy() == null ? t.spec().withRestartPolicy("Never") : t.spec();
        return new Pod(m, spec.withNodeName(null), Pod.Status.pending(null, null, null));
    }
}
