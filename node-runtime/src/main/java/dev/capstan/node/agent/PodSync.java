package dev.capstan.node.agent;

import dev.capstan.model.Container;
import dev.capstan.model.Pod;
import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.SandboxInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** One round of work on one pod: host ports, sandbox, containers, status. Created per pod per round. */
final class PodSync {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PodSync.class);
    private final NodeAgent agent;
    private Pod pod;
    private final List<SandboxInfo> sandboxes;
    private final Map<String, List<ContainerInfo>> containersBySandbox;
    private final HostPorts hostPorts;
    private final ServiceEnv serviceEnv;
    private final Map<String, String[]> waiting = new HashMap<>();
    private volatile boolean imagesChecked;

    PodSync(NodeAgent agent, Pod pod, List<SandboxInfo> sandboxes,
            Map<String, List<ContainerInfo>> containersBySandbox, HostPorts hostPorts, ServiceEnv serviceEnv) {
        this.agent = agent;
        this.pod = pod;
        this.sandboxes = sandboxes;
        this.containersBySandbox = containersBySandbox;
        this.hostPorts = hostPorts;
        this.serviceEnv = serviceEnv;
    }

    void run() {
        long t0 = System.nanoTime();
        if (!assignHostPorts()) {
            return;
        }
        Optional<SandboxInfo> sandbox = sandboxes.stream().filter(SandboxInfo::ready).findFirst();
        Instant started = Instant.now();
        if (sandbox.isEmpty()) {
            // the image check needs no sandbox and the sandbox no image: both at once
            CompletableFuture<RuntimeFailure> images = CompletableFuture.supplyAsync(this::ensureImages,
                    agent.imageChecks());
            String id;
            try {
                id = agent.runtime().runPodSandbox(RuntimeSpecs.sandboxSpec(agent.config(), pod, agent.clusterDns()));
            } catch (RuntimeFailure e) {
                images.join();
                failBeforeStart("CreatePodSandboxError", e);
                return;
            }
            RuntimeFailure imageFailure = images.join();
            if (imageFailure != null) {
                failBeforeStart("ErrImagePull", imageFailure); // the sandbox stays: the next round tries again
                return;
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("pod {}: sandbox and images in {} ms", pod.key(), (System.nanoTime() - t0) / 1_000_000);
            }
            sandbox = Optional.of(new SandboxInfo(id, pod.metadata().uid(), pod.metadata().namespace(),
                    pod.metadata().name(), 0, true, Map.of()));
        }
        String sandboxId = sandbox.get().id();
        List<ContainerInfo> containers = new ArrayList<>(containersBySandbox.getOrDefault(sandboxId, List.of()));
        for (Container c : pod.spec().containers()) {
            Optional<ContainerInfo> latest = PodStatuses.latest(containers, c.name());
            int attempt;
            if (latest.isEmpty()) {
                attempt = 0;
                if (!imagesChecked) {
                    RuntimeFailure failure = ensureImages();
                    if (failure != null) {
                        failBeforeStart("ErrImagePull", failure);
                        return;
                    }
                }
            } else if (latest.get().state() == ContainerInfo.State.EXITED
                    && PodStatuses.shouldRestart(pod.spec().restartPolicy(), latest.get())) {
                ContainerInfo exited = latest.get();
                long delay = PodStatuses.backoffMillis(exited.attempt());
                Instant due = (exited.finishedAt() == null ? Instant.now() : exited.finishedAt()).plusMillis(delay);
                if (Instant.now().isBefore(due)) {
                    waiting.put(c.name(), new String[]{"CrashLoopBackOff", "back-off " + delay / 1000
                            + "s restarting failed container " + c.name() + " of pod " + pod.key()});
                    continue;
                }
                attempt = exited.attempt() + 1;
                removeOlderAttempts(containers, c.name(), exited.attempt());
            } else {
                if (latest.get().state() == ContainerInfo.State.RUNNING) {
                    checkHealth(c, latest.get());
                }
                continue;
            }
            String ns = pod.metadata().namespace();
            Optional<String> pending = serviceEnv.pending(ns, c);
            if (pending.isPresent()) {
                waiting.put(c.name(), new String[]{"ServiceAddressPending", "container " + c.name()
                        + " refers to service " + pending.get() + ", which has no cluster IP yet"});
                continue;
            }
            try {
                String id = agent.runtime().startContainer(sandboxId, RuntimeSpecs.containerSpec(agent.config(), pod,
                        c, attempt, serviceEnv.variables(ns), agent.clusterDns()));
                agent.probes().watch(id, c, Instant.now(), ports(c));
                containers.add(new ContainerInfo(id, sandboxId, c.name(), attempt, ContainerInfo.State.RUNNING, 0,
                        null, null, started, started, null, c.image(), Map.of()));
            } catch (RuntimeFailure e) {
                waiting.put(c.name(), new String[]{"RunContainerError", e.getMessage()});
                agent.problem(pod.metadata().uid(), "pod " + pod.key() + " container " + c.name() + ": "
                        + e.getMessage());
            }
        }
        containers.replaceAll(agent::withKillNote);
        long t1 = System.nanoTime();
        agent.report(pod, PodStatuses.compute(pod, containers, waiting, started, agent.runtime().name(),
                agent.health()));
        if (LOG.isDebugEnabled()) {
            LOG.debug("pod {}: synced in {} ms (status written in {} ms)", pod.key(), (System.nanoTime() - t0) / 1_000_000,
                    (System.nanoTime() - t1) / 1_000_000);
        }
    }

    /** Makes every image of the pod available; the failure, or null. */
    private RuntimeFailure ensureImages() {
        try {
            for (String image : pod.spec().containers().stream().map(Container::image).distinct().toList()) {
                agent.runtime().ensureImage(image);
            }
            imagesChecked = true;
            return null;
        } catch (RuntimeFailure e) {
            return e;
        } catch (RuntimeException e) {
            return new RuntimeFailure(e.getMessage(), e);
        }
    }

    /** Starts the container's probes (once) and restarts it when its liveness or startup probe failed. */
    private void checkHealth(Container c, ContainerInfo running) {
        agent.probes().watch(running.id(), c, running.startedAt(), ports(c));
        agent.probes().failure(running.id()).ifPresent(why -> agent.killUnhealthy(pod, c.name(), running.id(), why));
    }

    /** A probe's port (a container port's name or number) as the host port to dial on 127.0.0.1. */
    static java.util.function.ToIntFunction<String> ports(Container c) {
        return port -> {
            if (port == null || port.isBlank()) {
                throw new IllegalArgumentException("the probe names no port");
            }
            for (Container.ContainerPort p : c.ports()) {
                if (port.equals(p.name()) || port.equals(String.valueOf(p.containerPort()))) {
                    return p.hostPort() != null ? p.hostPort() : p.containerPort() == null ? -1 : p.containerPort();
                }
            }
            try {
                return Integer.parseInt(port.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("container " + c.name() + " has no port named " + port);
            }
        };
    }

    /** Reports every container waiting for {@code reason}: nothing of the pod could start. */
    private void failBeforeStart(String reason, RuntimeFailure e) {
        pod.spec().containers().forEach(c -> waiting.put(c.name(), new String[]{reason, e.getMessage()}));
        agent.problem(pod.metadata().uid(), "pod " + pod.key() + ": " + e.getMessage());
        agent.report(pod, PodStatuses.compute(pod, List.of(), waiting, null, agent.runtime().name()));
    }

    /** Keeps the last exited attempt (for {@code logs --previous}) and removes older ones. */
    private void removeOlderAttempts(List<ContainerInfo> containers, String name, int keep) {
        for (ContainerInfo c : List.copyOf(containers)) {
            if (c.name().equals(name) && c.attempt() < keep) {
                try {
                    agent.runtime().removeContainer(c.id());
                    containers.remove(c);
                } catch (RuntimeFailure e) {
                    agent.problem(c.id(), "cannot remove old container " + c.id() + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Gives every container port a host port from the node's range, written to the pod's spec before
     * anything starts, so that endpoints and a restarted agent see the same ports. False when the pod
     * changed underneath (try again next round) or the range is full.
     */
    private boolean assignHostPorts() {
        boolean missing = pod.spec().containers().stream()
                .flatMap(c -> c.ports().stream()).anyMatch(p -> p.hostPort() == null);
        if (!missing) {
            return true;
        }
        List<Container> updated = new ArrayList<>();
        List<Integer> taken = new ArrayList<>();
        for (Container c : pod.spec().containers()) {
            List<Container.ContainerPort> ports = new ArrayList<>();
            for (Container.ContainerPort p : c.ports()) {
                if (p.hostPort() != null) {
                    ports.add(p);
                    continue;
                }
                OptionalInt port = hostPorts.take();
                if (port.isEmpty()) {
                    hostPorts.release(taken);
                    agent.problem(pod.metadata().uid(), "no free host port left in " + hostPorts.range()
                            + " for pod " + pod.key());
                    return false;
                }
                taken.add(port.getAsInt());
                ports.add(new Container.ContainerPort(p.name(), p.containerPort(), port.getAsInt(), p.protocol()));
            }
            updated.add(c.withPorts(ports));
        }
        try {
            pod = agent.api().update(pod.withSpec(pod.spec().withContainers(updated)));
        } catch (RuntimeException e) {
            hostPorts.release(taken);
            throw e;
        }
        return true;
    }

}
