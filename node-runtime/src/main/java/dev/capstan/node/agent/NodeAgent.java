package dev.capstan.node.agent;

import dev.capstan.engine.client.ApiClient;
import dev.capstan.engine.client.WatchCache;
import dev.capstan.engine.store.StoreException;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Event;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Times;
import dev.capstan.node.agent.probe.ProbeManager;
import dev.capstan.model.Json;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.SandboxInfo;
import java.time.Duration;
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
    /** Pods synced side by side in one round. */
    static final int POD_SYNC_THREADS = 8;

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
    private final ContainerHealth health;
    private final ExecutorService podSyncs;
    private final ExecutorService imageChecks;
    private final PodWorkers workers;
    private final HostPorts hostPorts;
    private final ContainerLogs logs;
    private volatile List<ContainerInfo> lastContainers = List.of();
    /** Pod uids that had a sandbox in the last round; null until the first round has listed the runtime. */
    private volatile Set<String> lastSandboxPods;
    private volatile boolean running;
    private volatile ClusterDns clusterDns;
    private Thread loop;
    /** The node's pods, from a watch; null when the agent is driven without {@link #start()}. */
    private volatile WatchCache<Pod> podCache;
    private volatile ServiceEnv serviceEnv;
    private volatile long lastRoundMillis;

    public NodeAgent(AgentConfig config, ApiClient api, ContainerRuntime runtime) {
        this.config = config;
        this.api = api;
        this.runtime = runtime;
        this.registration = new NodeRegistration(config, api, runtime);
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("agent-lease-" + config.nodeName()));
        this.stopper = Executors.newCachedThreadPool(daemon("agent-stop-" + config.nodeName()));
        this.health = new ContainerHealth(this, stopper, wake::release);
        this.podSyncs = Executors.newFixedThreadPool(POD_SYNC_THREADS, daemon("agent-pod-" + config.nodeName()));
        this.imageChecks = Executors.newCachedThreadPool(daemon("agent-image-" + config.nodeName()));
        this.workers = new PodWorkers(podSyncs, wake::release);
        this.hostPorts = new HostPorts(config, List.of());
        this.logs = new ContainerLogs(config, runtime);
    }

    public String nodeName() {
        return config.nodeName();
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    /**
     * Gives the pods started from now on this cluster DNS server and search path (CRI: the sandbox's resolv.conf;
     * both runtimes: {@link ClusterDns#ENV_SERVER} and {@link ClusterDns#ENV_SEARCH}). Null: the host's resolver.
     */
    public NodeAgent withClusterDns(ClusterDns dns) {
        this.clusterDns = dns;
        return this;
    }

    ClusterDns clusterDns() {
        return clusterDns;
    }

    /**
     * Advertises, on the Node, where this agent serves its pods' logs ({@link AgentLogServer#url()}), so that
     * the API server can reach a separate agent. Call before {@link #start()}.
     */
    public void advertiseLogs(java.net.URI endpoint) {
        registration.logEndpoint(endpoint.toString());
    }

    /** Registers the node, starts renewing its lease and starts the sync loop. */
    public void start() {
        registration.register();
        long renew = Math.max(200, config.leaseDuration().toMillis() / 4);
        timers.scheduleWithFixedDelay(this::heartbeat, renew, renew, TimeUnit.MILLISECONDS);
        podCache = WatchCache.start(api, Kinds.POD, "spec.nodeName=" + config.nodeName(), this::onPodEvent);
        running = true;
        loop = new Thread(this::runLoop, "agent-sync-" + config.nodeName());
        loop.setDaemon(true);
        loop.start();
    }

    private void heartbeat() {
        try {
            registration.renew();
        } catch (RuntimeException e) {
            if (running) { // a renewal cut short by shutdown is not a problem
                problem("lease", "cannot renew the node lease: " + e.getMessage());
            }
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
                // a round wakes on changes, but never takes more than about half of the loop's time: under
                // load (100 pods starting at once) back-to-back rounds would take the CPU the pods need
                long interval = config.syncInterval().toMillis();
                long pause = Math.min(lastRoundMillis, interval / 2);
                if (pause > 0) {
                    Thread.sleep(pause);
                }
                wake.tryAcquire(interval - pause, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * A pod this agent has never seen (not listed, no sandbox) starts at once from the watch event, without
     * waiting for a round to list the pods and the runtime again; anything else wakes the loop.
     */
    private void onPodEvent(WatchEvent<Pod> e) {
        Pod pod = e.object();
        Set<String> sandboxPods = lastSandboxPods;
        String uid = pod.metadata().uid();
        if (e.type() != WatchEvent.Type.DELETED && sandboxPods != null && running && uid != null
                && pod.metadata().deletionTimestamp() == null && !pod.isTerminal() && !workers.known(uid)
                && !sandboxPods.contains(uid) && !stopping.contains(uid)
                && config.nodeName().equals(pod.spec().nodeName())) {
            LOG.debug("pod {}: new, synced straight from the watch", pod.key());
            syncPod(pod, List.of(), Map.of(), System.nanoTime());
            return;
        }
        if (e.type() == WatchEvent.Type.MODIFIED && uid != null && pod.metadata().deletionTimestamp() == null
                && pod.status() != null && lastReported.containsKey(uid)
                && Json.write(pod.status()).equals(lastReported.get(uid))) {
            return; // the echo of our own status write: nothing for a round to do
        }
        wake.release();
    }

    /**
     * One round of the sync loop: lists the node's pods and the runtime, hands each pod that needs work to
     * its worker (without waiting for it), stops what should stop, rotates logs. Public for tests that drive
     * the agent without its thread.
     */
    public void syncOnce() {
        long listed = System.nanoTime();
        List<Pod> pods = pods();
        long snapshot = System.nanoTime();
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
        lastContainers = containers;
        lastSandboxPods = Set.copyOf(sandboxesByPod.keySet());
        health.retain(containers);
        hostPorts.refresh(pods);

        for (Pod pod : pods) {
            String uid = pod.metadata().uid();
            List<SandboxInfo> mine = sandboxesByPod.getOrDefault(uid, List.of());
            if (workers.busy(uid)) {
                workers.later(uid); // its sandbox and containers are changing: look again when it is done
                continue;
            }
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
            syncPod(pod, mine, containersBySandbox, snapshot);
        }
        for (SandboxInfo s : sandboxes) {
            String uid = s.podUid();
            if (!live.contains(uid) && !workers.startedSince(uid, listed) && stopping.add(uid)) {
                LOG.info("{}: removing sandbox of pod {}/{}, which is no longer bound here", config.nodeName(),
                        s.namespace(), s.name());
                stopper.execute(() -> {
                    try {
                        runtime.removePodSandbox(s.id(), Duration.ofSeconds(10));
                    } catch (RuntimeFailure e) {
                        problem(uid, "cannot remove sandbox " + s.id() + ": " + e.getMessage());
                    } finally {
                        stopping.remove(uid);
                    }
                });
            }
        }
        Set<String> keep = new java.util.HashSet<>(live);
        sandboxes.forEach(sb -> keep.add(sb.podUid()));
        keep.addAll(stopping);
        keep.addAll(workers.startedSince(listed)); // started from the watch after the list: their logs stay
        workers.retain(keep, listed);
        lastReported.keySet().removeIf(uid -> !live.contains(uid) && !workers.known(uid));
        logs.rotate(containers);
        logs.removeGone(keep);
        lastRoundMillis = (System.nanoTime() - listed) / 1_000_000;
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: round of {} pods, {} sandboxes, {} containers in {} ms (listing {} ms)", config.nodeName(),
                    pods.size(), sandboxes.size(), containers.size(), (System.nanoTime() - listed) / 1_000_000,
                    (snapshot - listed) / 1_000_000);
        }
    }

    /**
     * The node's pods: from the watch-fed cache, listed again from the API every ten sync intervals (the watch
     * itself re-lists when it reconnects); listed every round when the agent runs without {@link #start()}.
     */
    private List<Pod> pods() {
        WatchCache<Pod> cache = podCache;
        if (cache == null) {
            return api.list(Kinds.POD, null, "spec.nodeName=" + config.nodeName());
        }
        if (cache.sinceListed() > config.syncInterval().toNanos() * 10) {
            cache.relist();
        }
        return List.copyOf(cache.objects());
    }

    /** Hands one pod's sync to its worker; {@code snapshot} is when the runtime state passed in was listed. */
    private void syncPod(Pod pod, List<SandboxInfo> sandboxes, Map<String, List<ContainerInfo>> containersBySandbox,
                         long snapshot) {
        String uid = pod.metadata().uid();
        workers.offer(uid, snapshot, () -> {
            try {
                new PodSync(this, pod, sandboxes, containersBySandbox, hostPorts, serviceEnv()).run();
                lastProblem.remove(uid);
            } catch (StoreException e) {
                LOG.debug("pod {} changed while syncing: {}", pod.key(), e.getMessage());
            } catch (RuntimeException e) {
                problem(uid, "sync of pod " + pod.key() + " failed: " + e.getMessage());
            }
        });
    }

    /** The Services for containers' environment, watched from the first pod sync on. */
    private synchronized ServiceEnv serviceEnv() {
        if (serviceEnv == null) {
            serviceEnv = new ServiceEnv(api);
        }
        return serviceEnv;
    }

    /** Checks images off the pod's worker, side by side with creating its sandbox. */
    ExecutorService imageChecks() {
        return imageChecks;
    }

    /** Stops a pod's sandboxes on the stop pool (within its grace period) and, when asked, deletes the pod. */
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
        // recorded before the write: the watch may deliver the echo of this write before the call returns, and
        // an echo taken for someone else's change would wake a whole round for nothing
        String before = lastReported.put(uid, json);
        try {
            api.updateStatus(pod.withStatus(status));
        } catch (RuntimeException e) {
            if (before == null) {
                lastReported.remove(uid, json);
            } else {
                lastReported.replace(uid, json, before);
            }
            throw e;
        }
    }

    ProbeManager probes() {
        return health.probes();
    }

    PodStatuses.Health health() {
        return health.view();
    }

    ContainerInfo withKillNote(ContainerInfo c) {
        return health.withKillNote(c);
    }

    void killUnhealthy(Pod pod, String container, String containerId, String why) {
        health.killUnhealthy(pod, container, containerId, why);
    }

    /** Records an Event about a pod; best effort (a failure is only logged). */
    void event(Pod pod, String type, String reason, String message) {
        try {
            String now = Times.now();
            String name = pod.metadata().name() + "." + Long.toHexString(System.nanoTime());
            api.create(new Event(null, null, ObjectMeta.of(pod.metadata().namespace(), name),
                    Event.ObjectReference.to(pod), reason, message, type, 1, now, now,
                    new Event.Source("capstan-agent", config.nodeName())));
        } catch (RuntimeException e) {
            LOG.debug("cannot record event {} for {}: {}", reason, pod.key(), e.getMessage());
        }
    }

    /** The containers seen by the last sync round (for logs). */
    List<ContainerInfo> lastContainers() {
        return lastContainers;
    }

    /**
     * Opens a container's log: its newest attempt, or with {@code previous} the one before; with
     * {@code follow} the stream stays open until that attempt stops running. {@link
     * dev.capstan.engine.store.NotFoundException} when there is none.
     */
    public java.io.InputStream openLog(Pod pod, String container, boolean previous, boolean follow,
                                       Integer tailLines) {
        String uid = pod.metadata().uid();
        return logs.open(pod, container, previous, follow, tailLines, attempt -> () -> lastContainers.stream()
                .anyMatch(c -> uid.equals(c.labels().get(LABEL_POD_UID)) && c.name().equals(container)
                        && c.attempt() == attempt && c.state() == ContainerInfo.State.RUNNING));
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

    /**
     * Stops the loop and the lease; with {@code stopPods}, also stops every pod this agent runs (each
     * within its grace period, at most {@code maxWait}).
     */
    public void shutdown(boolean stopPods, Duration maxWait) {
        running = false;
        wake.release();
        synchronized (this) {
            if (serviceEnv != null) {
                serviceEnv.close();
            }
        }
        if (podCache != null) {
            podCache.close();
        }
        timers.shutdownNow();
        health.close();
        finishRound(maxWait);
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

    /** Lets a round under way finish (so nothing starts after the pods are stopped), interrupting it if it hangs. */
    private void finishRound(Duration maxWait) {
        try {
            if (loop != null && loop != Thread.currentThread()) {
                loop.join(Math.max(1000, maxWait.toMillis()));
                if (loop.isAlive()) {
                    loop.interrupt();
                    loop.join(2000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        podSyncs.shutdown();
        await(podSyncs, Duration.ofSeconds(5));
        podSyncs.shutdownNow();
        imageChecks.shutdownNow();
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
