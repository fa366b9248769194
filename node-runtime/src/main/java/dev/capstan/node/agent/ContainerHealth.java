package dev.capstan.node.agent;

import dev.capstan.model.Pod;
import dev.capstan.node.agent.probe.ProbeManager;
import dev.capstan.node.agent.probe.Prober;
import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.RuntimeFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of probes: runs them ({@link ProbeManager}, on its own threads), shows their verdicts
 * in the status, and kills a container whose liveness or startup probe failed (once, within the pod's
 * grace period, on the agent's stop pool) so that the sync loop restarts it with back-off like after any
 * exit. Remembers why it killed a container so the status can say it in {@code lastState}.
 */
final class ContainerHealth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerHealth.class);

    private final NodeAgent agent;
    private final ExecutorService stopper;
    private final Runnable wake;
    private final ProbeManager probes;
    private final Map<String, String> killNotes = new ConcurrentHashMap<>();

    ContainerHealth(NodeAgent agent, ExecutorService stopper, Runnable wake) {
        this.agent = agent;
        this.stopper = stopper;
        this.wake = wake;
        this.probes = new ProbeManager(agent.nodeName(), Prober.over(agent.runtime()), Clock.systemUTC(),
                (id, kind, result, message) -> wake.run());
    }

    ProbeManager probes() {
        return probes;
    }

    /** Forgets probes of containers no longer running and notes of containers no longer listed. */
    void retain(List<ContainerInfo> containers) {
        probes.retain(containers.stream().filter(c -> c.state() == ContainerInfo.State.RUNNING)
                .map(ContainerInfo::id).collect(Collectors.toSet()));
        killNotes.keySet().retainAll(containers.stream().map(ContainerInfo::id).collect(Collectors.toSet()));
    }

    PodStatuses.Health view() {
        return new PodStatuses.Health() {
            @Override
            public boolean started(String containerId) {
                return probes.started(containerId);
            }

            @Override
            public boolean ready(String containerId) {
                return !killNotes.containsKey(containerId) && probes.ready(containerId);
            }
        };
    }

    /** The container as reported, with why the agent killed it (a failed probe) as its message. */
    ContainerInfo withKillNote(ContainerInfo c) {
        String note = killNotes.get(c.id());
        if (note == null || c.state() != ContainerInfo.State.EXITED) {
            return c;
        }
        return new ContainerInfo(c.id(), c.sandboxId(), c.name(), c.attempt(), c.state(), c.exitCode(), c.reason(),
                note, c.createdAt(), c.startedAt(), c.finishedAt(), c.image(), c.labels());
    }

    /**
     * Stops a container whose liveness (or startup) probe failed, within the pod's grace period; the sync
     * loop then restarts it under the restart policy, with back-off, as after any other exit. Once per container.
     */
    void killUnhealthy(Pod pod, String container, String containerId, String why) {
        if (killNotes.putIfAbsent(containerId, "Container " + container + " failed its probe and was restarted: "
                + why) != null) {
            return;
        }
        long grace = pod.spec().terminationGracePeriodSeconds() == null ? 30
                : pod.spec().terminationGracePeriodSeconds();
        LOG.info("{}: pod {} container {}: {}, restarting it", agent.nodeName(), pod.key(), container, why);
        stopper.execute(() -> {
            agent.event(pod, "Warning", "Unhealthy", why);
            int cut = why.indexOf(" probe failed");
            String probe = cut < 0 ? "probe" : why.substring(0, cut).toLowerCase(Locale.ROOT) + " probe";
            agent.event(pod, "Normal", "Killing", "Container " + container + " failed " + probe
                    + ", will be restarted");
            try {
                agent.runtime().stopContainer(containerId, Duration.ofSeconds(grace));
            } catch (RuntimeFailure e) {
                agent.problem(containerId, "cannot stop unhealthy container " + containerId + ": " + e.getMessage());
            } finally {
                wake.run();
            }
        });
    }

    @Override
    public void close() {
        probes.close();
    }
}
