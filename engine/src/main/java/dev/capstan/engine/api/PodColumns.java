package dev.capstan.engine.api;

import dev.capstan.model.Pod;
import java.time.Instant;
import java.util.List;

/** The pod columns of {@code kubectl get pods}: NAME READY STATUS RESTARTS AGE, and IP NODE when wide. */
final class PodColumns {
    private PodColumns() {
    }

    static List<Column> columns() {
        return List.of(Column.name("Name of the pod."),
                Column.of(Pod.class, "Ready", "string", "Ready containers out of all.", 0, PodColumns::ready),
                Column.of(Pod.class, "Status", "string", "The pod's state, or why it is not running.", 0,
                        PodColumns::status),
                new Column("Restarts", "string", "", "Container restarts, and how long ago the last was.", 0,
                        (o, now) -> restarts((Pod) o, now)),
                Column.age(),
                Column.of(Pod.class, "IP", "string", "The pod's address.", 1,
                        p -> p.status() == null || p.status().podIP() == null ? PrintColumns.NONE
                                : p.status().podIP()),
                Column.of(Pod.class, "Node", "string", "The node the pod is bound to.", 1,
                        p -> p.nodeName() == null || p.nodeName().isEmpty() ? PrintColumns.NONE : p.nodeName()));
    }

    static String ready(Pod p) {
        int total = p.spec() == null ? 0 : p.spec().containers().size();
        int ready = 0;
        if (p.status() != null) {
            for (Pod.ContainerStatus cs : p.status().containerStatuses()) {
                if (cs.ready() && cs.state() != null && cs.state().running() != null) {
                    ready++;
                }
            }
            total = Math.max(total, p.status().containerStatuses().size());
        }
        return ready + "/" + total;
    }

    /** Kubernetes' rule: the pod reason, else the last waiting or terminated container's reason, else the phase. */
    static String status(Pod p) {
        String reason = p.phase();
        if (p.status() != null) {
            if (p.status().reason() != null && !p.status().reason().isEmpty()) {
                reason = p.status().reason();
            }
            boolean running = false;
            for (Pod.ContainerStatus cs : p.status().containerStatuses()) {
                Pod.State s = cs.state();
                if (s == null) {
                    continue;
                }
                if (s.waiting() != null && s.waiting().reason() != null && !s.waiting().reason().isEmpty()) {
                    reason = s.waiting().reason();
                } else if (s.terminated() != null) {
                    Pod.Terminated t = s.terminated();
                    reason = t.reason() != null && !t.reason().isEmpty() ? t.reason() : "ExitCode:" + t.exitCode();
                } else if (s.running() != null) {
                    running = true;
                }
            }
            if (running && "Completed".equals(reason)) {
                reason = p.isReady() ? Pod.RUNNING : "NotReady";
            }
        }
        if (p.metadata().deletionTimestamp() != null) {
            reason = "Terminating";
        }
        return reason;
    }

    static String restarts(Pod p, Instant now) {
        int restarts = 0;
        Instant last = null;
        if (p.status() != null) {
            for (Pod.ContainerStatus cs : p.status().containerStatuses()) {
                restarts += cs.restartCount();
                if (cs.lastState() != null && cs.lastState().terminated() != null
                        && cs.lastState().terminated().finishedAt() != null) {
                    try {
                        Instant t = Instant.parse(cs.lastState().terminated().finishedAt());
                        last = last == null || t.isAfter(last) ? t : last;
                    } catch (java.time.format.DateTimeParseException ignored) {
                        // an unreadable time only loses the "(5m ago)"
                    }
                }
            }
        }
        if (restarts > 0 && last != null) {
            return restarts + " (" + Ages.human(java.time.Duration.between(last, now)) + " ago)";
        }
        return Integer.toString(restarts);
    }
}
