package dev.capstan.node.agent;

import dev.capstan.model.Condition;
import dev.capstan.model.Container;
import dev.capstan.model.Pod;
import dev.capstan.model.Times;
import dev.capstan.node.runtime.ContainerInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure functions from what the runtime reports to what the API shows: a pod's phase, conditions and
 * container statuses, and when to restart an exited container. No I/O, no clock but the one passed in.
 */
final class PodStatuses {
    /** Kubelet's back-off: the first restart is immediate, then 10 s doubling to 5 min. */
    static final long BACKOFF_BASE_MS = 10_000;
    static final long BACKOFF_CAP_MS = 300_000;

    private PodStatuses() {
    }

    /** What the probes say about a running container, by runtime id. */
    interface Health {
        /** No startup probe, or it succeeded. */
        boolean started(String containerId);

        /** Started, and no readiness probe or it succeeds. */
        boolean ready(String containerId);
    }

    /** Containers without probes: running means started and ready. */
    static final Health NO_PROBES = new Health() {
        @Override
        public boolean started(String containerId) {
            return true;
        }

        @Override
        public boolean ready(String containerId) {
            return true;
        }
    };

    /** Newest attempt of each container, by container name. */
    static Optional<ContainerInfo> latest(List<ContainerInfo> all, String name) {
        return all.stream().filter(c -> c.name().equals(name)).max(Comparator.comparingInt(ContainerInfo::attempt));
    }

    /** Whether an exited container should run again under the pod's restart policy. */
    static boolean shouldRestart(String restartPolicy, ContainerInfo exited) {
        String policy = restartPolicy == null ? "Always" : restartPolicy;
        return switch (policy) {
            case "Never" -> false;
            case "OnFailure" -> exited.exitCode() != 0;
            default -> true;
        };
    }

    /** Delay before restart number {@code restarts + 1}, counting from the exit. */
    static long backoffMillis(int restarts) {
        if (restarts <= 0) {
            return 0;
        }
        long d = BACKOFF_BASE_MS << Math.min(restarts - 1, 10);
        return Math.min(d, BACKOFF_CAP_MS);
    }

    /**
     * The status to report.
     *
     * @param waiting  per container name, a reason and message to show when it is not running (image
     *                 errors, back-off); may be empty
     */
    static Pod.Status compute(Pod pod, List<ContainerInfo> containers, Map<String, String[]> waiting,
                              Instant sandboxStarted, String runtimeName) {
        return compute(pod, containers, waiting, sandboxStarted, runtimeName, NO_PROBES);
    }

    /** As above, with readiness and startup from the probes. */
    static Pod.Status compute(Pod pod, List<ContainerInfo> containers, Map<String, String[]> waiting,
                              Instant sandboxStarted, String runtimeName, Health health) {
        List<Pod.ContainerStatus> statuses = new ArrayList<>();
        int running = 0;
        int succeeded = 0;
        int failed = 0;
        boolean anyStarted = false;
        String policy = pod.spec().restartPolicy() == null ? "Always" : pod.spec().restartPolicy();
        for (Container c : pod.spec().containers()) {
            Optional<ContainerInfo> now = latest(containers, c.name());
            Pod.State state;
            Pod.State last = null;
            int restarts = now.map(ContainerInfo::attempt).orElse(0);
            boolean ready = false;
            boolean started = false;
            String id = now.map(i -> runtimeName + "://" + i.id()).orElse(null);
            String[] wait = waiting.get(c.name());
            if (now.isPresent() && now.get().state() == ContainerInfo.State.RUNNING) {
                state = Pod.State.running(ts(now.get().startedAt()));
                started = health.started(now.get().id());
                ready = started && health.ready(now.get().id());
                running++;
                anyStarted = true;
            } else if (now.isPresent() && now.get().state() == ContainerInfo.State.EXITED) {
                ContainerInfo e = now.get();
                anyStarted = true;
                Pod.State terminated = Pod.State.terminated(e.exitCode(), e.reason(), e.message(),
                        ts(e.startedAt()), ts(e.finishedAt()));
                if (shouldRestart(policy, e)) {
                    state = wait != null ? Pod.State.waiting(wait[0], wait[1])
                            : Pod.State.waiting("ContainerCreating", null);
                    last = terminated;
                    running++; // restarting containers keep the pod Running, as in Kubernetes
                } else {
                    state = terminated;
                    if (e.exitCode() == 0) {
                        succeeded++;
                    } else {
                        failed++;
                    }
                }
            } else {
                state = Pod.State.waiting(wait != null ? wait[0] : "ContainerCreating", wait != null ? wait[1] : null);
            }
            if (last == null) {
                last = previousTermination(containers, c.name(), restarts);
            }
            statuses.add(new Pod.ContainerStatus(c.name(), ready, restarts, state, last, c.image(), id, started));
        }
        int total = pod.spec().containers().size();
        String phase;
        if (failed > 0 && failed + succeeded == total) {
            phase = Pod.FAILED;
        } else if (succeeded == total && total > 0) {
            phase = Pod.SUCCEEDED;
        } else if (anyStarted) {
            phase = Pod.RUNNING;
        } else {
            phase = Pod.PENDING;
        }
        boolean allReady = total > 0 && statuses.stream().allMatch(Pod.ContainerStatus::ready);
        List<Condition> conditions = new ArrayList<>();
        for (Condition c : pod.status() == null ? List.<Condition>of() : pod.status().conditions()) {
            if (!List.of("Initialized", "ContainersReady", "Ready").contains(c.type())) {
                conditions.add(c); // PodScheduled and anything else the control plane owns
            }
        }
        conditions.add(keep(pod, "Initialized", true, null));
        conditions.add(keep(pod, "ContainersReady", allReady, allReady ? null : "ContainersNotReady"));
        conditions.add(keep(pod, "Ready", allReady, allReady ? null : "ContainersNotReady"));
        String start = pod.status() != null && pod.status().startTime() != null ? pod.status().startTime()
                : ts(sandboxStarted);
        return new Pod.Status(phase, conditions, null, null, "127.0.0.1", "127.0.0.1", start, statuses);
    }

    private static Pod.State previousTermination(List<ContainerInfo> all, String name, int attempt) {
        return all.stream().filter(c -> c.name().equals(name) && c.attempt() == attempt - 1
                        && c.state() == ContainerInfo.State.EXITED)
                .findFirst()
                .map(e -> Pod.State.terminated(e.exitCode(), e.reason(), e.message(), ts(e.startedAt()),
                        ts(e.finishedAt())))
                .orElse(null);
    }

    /** A condition with its transition time kept when its status did not change. */
    private static Condition keep(Pod pod, String type, boolean status, String reason) {
        String s = status ? "True" : "False";
        if (pod.status() != null) {
            for (Condition c : pod.status().conditions()) {
                if (type.equals(c.type()) && s.equals(c.status()) && Objects.equals(reason, c.reason())) {
                    return c;
                }
            }
        }
        return new Condition(type, s, reason, null, Times.now(), null);
    }

    private static String ts(Instant t) {
        return t == null ? null : Times.format(t);
    }
}
