package dev.capstan.engine.controller.builtin;

import dev.capstan.model.Condition;
import dev.capstan.model.Deployment;
import dev.capstan.model.ReplicaSet;
import dev.capstan.model.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A Deployment's status and its {@code Available} and {@code Progressing} conditions, as Kubernetes computes
 * them, without I/O. Progress is any change towards the rollout's end (a ReplicaSet created or resized, more
 * pods updated, ready or available); it refreshes the Progressing condition's {@code lastUpdateTime}. A
 * rollout not complete and without progress for {@code progressDeadlineSeconds} gets
 * {@code Progressing=False}, reason {@value #DEADLINE_EXCEEDED}; progress after that makes it True again.
 */
final class DeploymentProgress {
    static final String DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    /**
     * @param status       the status to write
     * @param timedOut     the rollout crossed its deadline in this computation (the condition just turned False)
     * @param checkAfter   when not complete and not timed out: how long until the deadline passes; else null
     */
    record Outcome(Deployment.Status status, boolean timedOut, Duration checkAfter) {
    }

    private DeploymentProgress() {
    }

    static Outcome compute(Deployment d, ReplicaSet current, List<ReplicaSet> all, RollingUpdate.Limits limits,
                           boolean scaled, Instant now) {
        int replicas = d.spec().replicas();
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
        boolean complete = updated == replicas && total == replicas && RollingUpdate.available(current) == replicas
                && current.spec().replicas() == replicas;
        Deployment.Status before = d.status();
        List<Condition> previous = before == null ? List.of() : before.conditions();
        Condition oldProgress = previous.stream().filter(c -> "Progressing".equals(c.type())).findFirst().orElse(null);
        boolean newGeneration = before == null || before.observedGeneration() == null
                || !before.observedGeneration().equals(d.metadata().generation());
        boolean progressed = scaled || newGeneration || oldProgress == null
                || updated > before.updatedReplicas() || ready > before.readyReplicas()
                || available > before.availableReplicas() || total != before.replicas();
        String nowText = Times.format(now);
        String rsName = "ReplicaSet \"" + current.metadata().name() + "\"";
        Condition progressing;
        boolean timedOut = false;
        Duration checkAfter = null;
        if (complete) {
            progressing = progressCondition(oldProgress, true, "NewReplicaSetAvailable",
                    rsName + " has successfully progressed.", nowText, progressed);
        } else if (progressed) {
            progressing = progressCondition(oldProgress, true, "ReplicaSetUpdated", rsName + " is progressing.",
                    nowText, true);
            checkAfter = Duration.ofSeconds(d.spec().progressDeadline());
        } else if (DEADLINE_EXCEEDED.equals(oldProgress.reason())) {
            progressing = oldProgress;
        } else {
            Instant last = lastUpdate(oldProgress);
            Instant deadline = last.plusSeconds(d.spec().progressDeadline());
            if (!now.isBefore(deadline)) {
                progressing = new Condition("Progressing", "False", DEADLINE_EXCEEDED,
                        rsName + " has timed out progressing.", nowText, null, nowText);
                timedOut = true;
            } else {
                progressing = oldProgress;
                checkAfter = Duration.between(now, deadline);
            }
        }
        Condition availableCondition = keep(previous, "Available", minAvailable,
                minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                minAvailable ? "Deployment has minimum availability."
                        : "Deployment does not have minimum availability.", nowText);
        Deployment.Status s = new Deployment.Status(d.metadata().generation(), total, updated, ready, available,
                List.of(availableCondition, progressing));
        return new Outcome(s, timedOut, checkAfter);
    }

    private static Instant lastUpdate(Condition c) {
        String t = c.lastUpdateTime() != null ? c.lastUpdateTime() : c.lastTransitionTime();
        try {
            return t == null ? Instant.EPOCH : Times.parse(t);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    /** The Progressing condition; its update time moves only on progress, its transition time only on a flip. */
    private static Condition progressCondition(Condition old, boolean status, String reason, String message,
                                               String now, boolean progressed) {
        String s = status ? "True" : "False";
        boolean same = old != null && s.equals(old.status()) && reason.equals(old.reason())
                && message.equals(old.message());
        if (same && !progressed) {
            return old;
        }
        String transition = old != null && s.equals(old.status()) ? old.lastTransitionTime() : now;
        String update = progressed || old == null ? now : old.lastUpdateTime();
        return new Condition("Progressing", s, reason, message, transition, null, update);
    }

    /** Keeps the previous condition (and its times) when nothing about it changed. */
    private static Condition keep(List<Condition> previous, String type, boolean status, String reason,
                                  String message, String now) {
        for (Condition c : previous) {
            if (type.equals(c.type()) && c.isTrue() == status && reason.equals(c.reason())
                    && message.equals(c.message())) {
                return c;
            }
        }
        return new Condition(type, status ? "True" : "False", reason, message, now, null, now);
    }
}
