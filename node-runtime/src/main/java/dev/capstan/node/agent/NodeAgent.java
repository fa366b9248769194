package dev.capstan.node.agent;

import dev.capstan.engine.client.ApiClient;
import dev.capstan.engine.store.StoreException;
import dev.capstan.engine.store.Watch;
import dev.capstan.model.Container;
import dev.capstan.model.Json;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerSpec;
import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.SandboxInfo;
import dev.capstan.node.runtime.SandboxSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capstan's kubelet. Registers the Node, renews its Lease, and runs a sync loop that makes the runtime
 * hold exactly the pods bound to this node: starts missing sandboxes and containers, restarts exited ones
 * under the restart policy with back-off, stops pods marked for deletion (then deletes their objects),
 * removes sandboxes no pod owns, and reports each pod's status.
 *
 * <p>The loop runs on one thread; pod stops run on a separate pool so a long grace period never stalls
 * it. Everything the agent knows about a pod is re-derived each round from the API and the runtime, so
 * a restarted agent picks up where the last one stopped.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    static final String LABEL_NODE = "capstan.dev/node";
    static final String LABEL_POD_UID = "capstan.dev/pod-uid";

    private final AgentConfig config;
    private final ApiClient api;
    private final ContainerRuntime runtime;
    private final NodeRegistration registration;
    private final Semaphore wake = new Semaphore(0);
    private final ScheduledExecutorService timers;
    private final ExecutorService stopper;
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private final Map<String, String> lastReported = new ConcurrentHashMap<>();
    private final Map<String, String> lastProblem = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread loop;
    private Watch watch;

    public NodeAgent(AgentConfig config, ApiClient api, ContainerRuntime runtime) {
        this.config = config;
        this.api = api;
        this.runtime = runtime;
        this.registration = new NodeRegistration(config, api, runtime);
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("agent-lease-" + config.nodeName()));
        this.stopper = Executors.newCachedThreadPool(daemon("agent-stop-" + config.nodeName()));
    }

    public String nodeName() {
        return config.nodeName();
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    /** Registers the node, starts renewing its lease and starts the sync loop. */
    public void start() {
        registration.register();
        long renew = Math.max(200, config.leaseDuration().toMillis() / 4);
        timers.scheduleWithFixedDelay(this::heartbeat, renew, renew, TimeUnit.MILLISECONDS);
        watch = api.watch(Kinds.POD, null, "spec.nodeName=" + config.nodeName(), e -> wake.release());
        running = true;
        loop = new Thread(this::runLoop, "agent-sync-" + config.nodeName());
        loop.setDaemon(true);
        loop.start();
    }

    private void heartbeat() {
        try {
            registration.renew();
        } catch (RuntimeException e) {
            problem("lease", "cannot renew the node lease: " + e.getMessage());
        }
    }

    private void runLoop() {
        while (running) {
            try {
                syncOnce();
            } catch (RuntimeException e) {
                if (!running) {
                    return; // interrupted by shutdown: not a problem worth reporting
                }
                problem("sync", "sync failed: " + e.getMessage());
                LOG.debug("sync failure", e);
            }
            try {
                wake.tryAcquire(config.syncInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round of the sync loop. Public for tests that drive the agent without its thread. */
    public void syncOnce() {
        List<Pod> pods = api.list(Kinds.POD, null, "spec.nodeName=" + config.nodeName());
        List<SandboxInfo> sandboxes;
        List<ContainerInfo> containers;
        try {
            sandboxes = runtime.listSandboxes();
            containers = runtime.listContainers();
        } catch (RuntimeFailure e) {
            problem("runtime", "container runtime " + runtime.name() + " is not answering: " + e.getMessage());
            return;
        }
        Map<String, List<SandboxInfo>> sandboxesByPod = sandboxes.stream()
                .collect(Collectors.groupingBy(SandboxInfo::podUid));
        Map<String, List<ContainerInfo>> containersBySandbox = containers.stream()
                .collect(Collectors.groupingBy(ContainerInfo::sandboxId));
        Set<String> live = pods.stream().map(p -> p.metadata().uid()).collect(Collectors.toSet());

        for (Pod pod : pods) {
            String uid = pod.metadata().uid();
            List<SandboxInfo> mine = sandboxesByPod.getOrDefault(uid, List.of());
            if (pod.metadata().deletionTimestamp() != null) {
                stopAsync(pod, mine, true);
                continue;
            }
            if (pod.isTerminal()) {
                if (!mine.isEmpty()) {
                    stopAsync(pod, mine, false);
                }
                continue;
            }
            if (stopping.contains(uid)) {
                continue;
            }
            try {
                new PodSync(this, pod, mine, containersBySandbox).run();
                lastProblem.remove(uid);
            } catch (StoreException e) {
                LOG.debug("pod {} changed while syncing: {}", pod.key(), e.getMessage());
            }
        }
        for (SandboxInfo s : sandboxes) {
            if (!live.contains(s.podUid()) && stopping.add(s.podUid())) {
                LOG.info("{}: removing sandbox of pod {}/{}, which is no longer bound here", config.nodeName(),
                        s.namespace(), s.name());
                stopper.execute(() -> {
                    try {
                        runtime.removePodSandbox(s.id(), Duration.ofSeconds(10));
                    } catch (RuntimeFailure e) {
                        problem(s.podUid(), "cannot remove sandbox " + s.id() + ": " + e.getMessage());
                    } finally {
                        stopping.remove(s.podUid());
                    }
                });
            }
        }
        lastReported.keySet().retainAll(live);
    }

    private void stopAsync(Pod pod, List<SandboxInfo> sandboxes, boolean deleteObject) {
        String uid = pod.metadata().uid();
        if (!stopping.add(uid)) {
            return;
        }
        long grace = pod.spec().terminationGracePeriodSeconds() == null ? 30
                : pod.spec().terminationGracePeriodSeconds();
        stopper.execute(() -> {
            try {
                for (SandboxInfo s : sandboxes) {
                    runtime.removePodSandbox(s.id(), Duration.ofSeconds(grace));
                }
                if (deleteObject && api.delete(Kinds.POD, pod.metadata().namespace(), pod.metadata().name())) {
                    LOG.info("{}: pod {} stopped and deleted", config.nodeName(), pod.key());
                }
            } catch (RuntimeFailure | RuntimeException e) {
                problem(uid, "cannot stop pod " + pod.key() + ": " + e.getMessage());
            } finally {
                stopping.remove(uid);
                wake.release();
            }
        });
    }

    /** Writes the pod's status when it differs from what was last written. */
    void report(Pod pod, Pod.Status status) {
        String json = Json.write(status);
        String uid = pod.metadata().uid();
        if (json.equals(lastReported.get(uid)) && pod.status() != null && json.equals(Json.write(pod.status()))) {
            return;
        }
        api.updateStatus(pod.withStatus(status));
        lastReported.put(uid, json);
    }

    /** Logs a problem once until it changes, so a stuck pod does not flood the log. */
    void problem(String key, String message) {
        if (!message.equals(lastProblem.put(key, message))) {
            LOG.warn("{}: {}", config.nodeName(), message);
        }
    }

    AgentConfig config() {
        return config;
    }

    ApiClient api() {
        return api;
    }

    SandboxSpec sandboxSpec(Pod pod) {
        String uid = pod.metadata().uid();
        Map<String, String> labels = new HashMap<>();
        labels.put(LABEL_NODE, config.nodeName());
        labels.put(LABEL_POD_UID, uid);
        String dir = pod.metadata().namespace() + "_" + pod.metadata().name() + "_" + uid;
        return new SandboxSpec(uid, pod.metadata().namespace(), pod.metadata().name(), 0,
                config.logRoot().resolve(dir).toString(), labels);
    }

    ContainerSpec containerSpec(Pod pod, Container c, int attempt) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("POD_NAME", pod.metadata().name());
        env.put("POD_NAMESPACE", pod.metadata().namespace());
        env.put("POD_IP", "127.0.0.1");
        env.put("NODE_NAME", config.nodeName());
        boolean first = true;
        for (Container.ContainerPort p : c.ports()) {
            if (p.hostPort() == null) {
                continue;
            }
            if (first) {
                env.put("PORT", Integer.toString(p.hostPort()));
                first = false;
            }
            if (p.name() != null) {
                env.put(Env.portVar(p.name()), Integer.toString(p.hostPort()));
            }
        }
        for (Container.EnvVar e : c.env()) {
            env.put(e.name(), Env.expand(e.value() == null ? "" : e.value(), env));
        }
        long cpu = c.resources() == null ? 0 : c.resources().cpuMillis();
        long mem = c.resources() == null ? 0 : c.resources().memoryBytes();
        Map<String, String> labels = Map.of(LABEL_NODE, config.nodeName(), LABEL_POD_UID, pod.metadata().uid());
        return new ContainerSpec(c.name(), attempt, c.image(), Env.expand(c.command(), env),
                Env.expand(c.args(), env), env, c.workingDir(), cpu, mem, c.name() + "/" + attempt + ".log", labels);
    }

    /**
     * Stops the loop and the lease; with {@code stopPods}, also stops every pod this agent runs (each
     * within its grace period, at most {@code maxWait}).
     */
    public void shutdown(boolean stopPods, Duration maxWait) {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        if (watch != null) {
            watch.close();
        }
        timers.shutdownNow();
        stopper.shutdown();
        if (stopPods) {
            ExecutorService pool = Executors.newCachedThreadPool(daemon("agent-shutdown-" + config.nodeName()));
            try {
                for (SandboxInfo s : runtime.listSandboxes()) {
                    pool.execute(() -> {
                        try {
                            runtime.removePodSandbox(s.id(), Duration.ofSeconds(5));
                        } catch (RuntimeFailure e) {
                            LOG.warn("{}: cannot stop {}/{}: {}", config.nodeName(), s.namespace(), s.name(),
                                    e.getMessage());
                        }
                    });
                }
            } catch (RuntimeFailure e) {
                LOG.warn("{}: cannot list pods to stop them: {}", config.nodeName(), e.getMessage());
            }
            pool.shutdown();
            await(pool, maxWait);
        }
        await(stopper, maxWait);
    }

    private static void await(ExecutorService pool, Duration maxWait) {
        try {
            pool.awaitTermination(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(false, Duration.ofSeconds(1));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
