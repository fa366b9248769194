package dev.capstan.node.agent.probe;

import dev.capstan.model.Container;
import dev.capstan.node.agent.probe.ProbeState.Kind;
import dev.capstan.node.agent.probe.ProbeState.Result;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Runs the probes of every running container on a scheduler of its own, so that a slow check never holds
 * up the agent's sync loop. The sync loop asks for results ({@link #started}, {@link #ready},
 * {@link #failure}) when it writes status, and registers containers ({@link #watch}) and forgets them
 * ({@link #retain}) as they come and go. Each container's probes are keyed by its runtime id, so a
 * restarted container (a new id) starts from fresh state. Thread-safe.
 */
public final class ProbeManager implements AutoCloseable {

    /** Told about every change of a probe's result, on a probe thread. */
    @FunctionalInterface
    public interface Listener {
        void changed(String containerId, Kind kind, Result result, String message);
    }

    private final ScheduledExecutorService scheduler;
    private final Prober prober;
    private final Clock clock;
    private final Listener listener;
    private final Map<String, Workers> byContainer = new ConcurrentHashMap<>();

    public ProbeManager(String nodeName, Prober prober, Clock clock, Listener listener) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "agent-probe-" + nodeName);
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.scheduler = pool;
        this.prober = prober;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Starts the probes of a running container, once (later calls for the same id do nothing).
     *
     * @param startedAt when the container started (initial delays count from here); null for now
     * @param ports     resolves a probe's port to the host port to dial
     */
    public void watch(String containerId, Container container, Instant startedAt, ToIntFunction<String> ports) {
        if (byContainer.containsKey(containerId) || !hasProbes(container)) {
            return;
        }
        Instant start = startedAt == null ? clock.instant() : startedAt;
        Workers w = new Workers(containerId, container, start, ports);
        if (byContainer.putIfAbsent(containerId, w) == null) {
            w.schedule();
        }
    }

    /** True when the container has no startup probe or its startup probe has succeeded. */
    public boolean started(String containerId) {
        Workers w = byContainer.get(containerId);
        return w == null || w.startup == null || w.startup.result() == Result.SUCCESS;
    }

    /** True when the container has started and has no readiness probe or its readiness probe succeeds. */
    public boolean ready(String containerId) {
        Workers w = byContainer.get(containerId);
        if (w == null) {
            return true;
        }
        return started(containerId) && (w.readiness == null || w.readiness.result() == Result.SUCCESS);
    }

    /**
     * Why the container must be restarted: its liveness probe failed, or its startup probe failed before
     * the container ever started. Empty while it is healthy.
     */
    public Optional<String> failure(String containerId) {
        Workers w = byContainer.get(containerId);
        if (w == null) {
            return Optional.empty();
        }
        for (ProbeState s : new ProbeState[]{w.startup, w.liveness}) {
            if (s != null && s.result() == Result.FAILURE) {
                return Optional.of(s.kind().title() + " probe failed: " + s.lastFailure());
            }
        }
        return Optional.empty();
    }

    /** Stops the probes of containers not in {@code containerIds}. */
    public void retain(Set<String> containerIds) {
        for (String id : Set.copyOf(byContainer.keySet())) {
            if (!containerIds.contains(id)) {
                forget(id);
            }
        }
    }

    /** Stops the probes of one container (it exited or is being killed). */
    public void forget(String containerId) {
        Workers w = byContainer.remove(containerId);
        if (w != null) {
            w.cancel();
        }
    }

    @Override
    public void close() {
        byContainer.values().forEach(Workers::cancel);
        byContainer.clear();
        scheduler.shutdownNow();
    }

    private static boolean hasProbes(Container c) {
        return c.livenessProbe() != null || c.readinessProbe() != null || c.startupProbe() != null;
    }

    /** The probes of one container, each ticking at its own period. */
    private final class Workers {
        final String containerId;
        final ToIntFunction<String> ports;
        final ProbeState liveness;
        final ProbeState readiness;
        final ProbeState startup;
        final java.util.List<ScheduledFuture<?>> ticks = new java.util.concurrent.CopyOnWriteArrayList<>();

        Workers(String containerId, Container c, Instant start, ToIntFunction<String> ports) {
            this.containerId = containerId;
            this.ports = ports;
            this.liveness = c.livenessProbe() == null ? null : new ProbeState(Kind.LIVENESS, c.livenessProbe(), start);
            this.readiness = c.readinessProbe() == null ? null
                    : new ProbeState(Kind.READINESS, c.readinessProbe(), start);
            this.startup = c.startupProbe() == null ? null : new ProbeState(Kind.STARTUP, c.startupProbe(), start);
        }

        void schedule() {
            for (ProbeState s : new ProbeState[]{startup, liveness, readiness}) {
                if (s != null) {
                    long period = Math.max(1, s.probe().periodOrDefault()) * 1000L;
                    Integer delay = s.probe().initialDelaySeconds();
                    long first = delay == null ? 0 : Math.max(0, delay) * 1000L;
                    ticks.add(scheduler.scheduleWithFixedDelay(() -> tick(s), Math.min(first, period), period,
                            TimeUnit.MILLISECONDS));
                }
            }
        }

        void tick(ProbeState s) {
            try {
                if (s.kind() != Kind.STARTUP && !started(containerId)) {
                    return; // liveness and readiness wait for the startup probe
                }
                if (!s.due(clock.instant()) || !byContainer.containsKey(containerId)) {
                    return;
                }
                Prober.Outcome o = prober.check(s.probe(), containerId, ports);
                boolean changed;
                synchronized (s) {
                    changed = s.record(o.success(), o.message());
                }
                if (changed) {
                    listener.changed(containerId, s.kind(), s.result(), o.message());
                }
            } catch (RuntimeException e) {
                listener.changed(containerId, s.kind(), s.result(), "probe error: " + e.getMessage());
            }
        }

        void cancel() {
            ticks.forEach(t -> t.cancel(false));
        }
    }
}
