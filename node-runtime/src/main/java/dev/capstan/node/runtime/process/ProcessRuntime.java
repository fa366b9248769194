package dev.capstan.node.runtime.process;

import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerSpec;
import dev.capstan.node.runtime.ExecResult;
import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.SandboxInfo;
import dev.capstan.node.runtime.SandboxSpec;
import dev.capstan.node.runtime.internal.HostTools;
import dev.capstan.node.runtime.process.ProcessStore.ContainerRecord;
import dev.capstan.node.runtime.process.ProcessStore.SandboxRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ContainerRuntime} for machines without containerd, like Nomad's raw_exec: a sandbox is a
 * directory under the state directory (also the working directory of its containers unless the spec
 * sets one) and a container is a host process in its own session, with the spec's environment, and its
 * stdout and stderr written to the log path in the CRI log format.
 *
 * <p>NO ISOLATION and NO RESOURCE LIMITS: processes run as this JVM's user and share the host's
 * filesystem, network and process table; CPU and memory limits are ignored (so an exit is never
 * {@code OOMKilled}: a process the kernel's OOM killer ended shows as exit code 137, reason Error, like any
 * other SIGKILL); exec probes run a host process with the container's environment in its working
 * directory; images are ignored, except
 * that for an image whose repository ends in {@code /busybox} the host's busybox applets come first on
 * PATH. Stop sends SIGTERM to the process and its descendants, waits the grace period, then kills them.
 *
 * <p>State lives in memory and in JSON files under the state directory ({@link ProcessStore}), so a
 * later instance lists what an earlier one created; a process still running from an earlier instance
 * is reported RUNNING (and can be stopped), and once it is gone EXITED with exit code -1 (unknown).
 * {@link #close()} stops the processes this instance started. Thread-safe.
 */
public final class ProcessRuntime implements ContainerRuntime {

    /** The label that ties sandboxes and containers to the agent (node) that created them. */
    public static final String NODE_LABEL = "capstan.dev/node";
    private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Path stateDir;
    private final String nodeName;
    private final ProcessStore store;
    private final Path setsid;
    private final Object lock = new Object();
    private final Map<String, SandboxRecord> sandboxes = new HashMap<>();   // guarded by lock
    private final Map<String, ContainerRecord> containers = new HashMap<>(); // guarded by lock
    private final Map<String, Process> children = new ConcurrentHashMap<>();
    private final Map<String, CriLogFile> logs = new ConcurrentHashMap<>();

    /**
     * @param stateDir where sandboxes and records live (created if missing); may be shared by instances
     *                 with different node names
     * @param nodeName the value of {@value #NODE_LABEL} on everything this instance creates and lists
     */
    public ProcessRuntime(Path stateDir, String nodeName) throws RuntimeFailure {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName must not be blank");
        }
        this.stateDir = stateDir.toAbsolutePath().normalize();
        this.nodeName = nodeName;
        this.store = new ProcessStore(this.stateDir);
        this.setsid = HostTools.findBinary("setsid").orElse(null);
        store.loadSandboxes().forEach(s -> sandboxes.put(s.id(), s));
        store.loadContainers().forEach(c -> containers.put(c.id(), c));
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public String describe() {
        return "process runtime: NO ISOLATION AND NO RESOURCE LIMITS - containers are plain host processes running as "
                + System.getProperty("user.name") + " with the host's filesystem, network and PIDs; images are ignored"
                + " (busybox images get the host's busybox applets); state in " + stateDir;
    }

    /** Checks that a busybox image can be served by the host's busybox; other images need nothing. */
    @Override
    public void ensureImage(String image) throws RuntimeFailure {
        if (BusyboxApplets.isBusyboxImage(image)) {
            BusyboxApplets.ensure(stateDir.resolve("busybox-applets"));
        }
    }

    @Override
    public String runPodSandbox(SandboxSpec spec) throws RuntimeFailure {
        String id = newId();
        Path dir = stateDir.resolve("sandboxes").resolve(id);
        Path logDir = Path.of(spec.logDir()).toAbsolutePath().normalize();
        ProcessStore.createDirectories(dir, "sandbox directory");
        ProcessStore.createDirectories(logDir, "log directory");
        SandboxRecord r = new SandboxRecord(id, spec.podUid(), spec.namespace(), spec.name(), spec.attempt(),
                logDir.toString(), dir.toString(), withNode(spec.labels()), true, Instant.now().toString());
        synchronized (lock) {
            store.save(r);
            sandboxes.put(id, r);
        }
        return id;
    }

    @Override
    public void removePodSandbox(String sandboxId, Duration grace) throws RuntimeFailure {
        SandboxRecord sandbox;
        List<String> ids;
        synchronized (lock) {
            sandbox = sandboxes.get(sandboxId);
            if (sandbox == null) {
                return;
            }
            SandboxRecord stopped = sandbox.notReady();
            store.save(stopped);
            sandboxes.put(sandboxId, stopped);
            ids = containers.values().stream().filter(c -> c.sandboxId().equals(sandboxId)).map(ContainerRecord::id).toList();
        }
        stopAll(ids, grace);
        synchronized (lock) {
            for (String id : ids) {
                store.deleteContainer(id);
                containers.remove(id);
            }
            store.deleteSandbox(sandboxId);
            sandboxes.remove(sandboxId);
        }
        Path dir = Path.of(sandbox.dir());
        if (dir.startsWith(stateDir.resolve("sandboxes"))) {
            ProcessStore.deleteTree(dir);
        }
    }

    @Override
    public String startContainer(String sandboxId, ContainerSpec spec) throws RuntimeFailure {
        SandboxRecord sandbox;
        synchronized (lock) {
            sandbox = sandboxes.get(sandboxId);
            if (sandbox == null || !sandbox.ready()) {
                throw new RuntimeFailure("pod sandbox " + sandboxId + (sandbox == null ? " does not exist" : " is stopped"));
            }
            boolean taken = containers.values().stream().anyMatch(c -> c.sandboxId().equals(sandboxId)
                    && c.name().equals(spec.name()) && c.attempt() == spec.attempt());
            if (taken) {
                throw new RuntimeFailure("container " + spec.name() + " attempt " + spec.attempt()
                        + " already exists in pod sandbox " + sandboxId + ": a restart needs attempt + 1");
            }
        }
        ProcessLaunch launch = ProcessLaunch.of(spec, Path.of(sandbox.dir()), Path.of(sandbox.logDir()), stateDir, setsid);
        List<String> argv = launch.argv();
        Map<String, String> env = launch.env();
        Path workDir = launch.workDir();
        Path logFile = launch.logFile();
        ProcessStore.createDirectories(logFile.getParent(), "log directory");

        String id = newId();
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Instant created = Instant.now();
        Process p;
        CriLogFile logOut;
        try {
            logOut = new CriLogFile(logFile, 2);
        } catch (IOException e) {
            throw new RuntimeFailure("container " + spec.name() + ": cannot open its log " + logFile + ": " + e.getMessage(), e);
        }
        try {
            p = pb.start();
        } catch (IOException e) {
            logOut.close();
            throw new RuntimeFailure("container " + spec.name() + ": cannot start " + argv + ": " + e.getMessage(), e);
        }
        ContainerRecord r = new ContainerRecord(id, sandboxId, spec.name(), spec.attempt(), spec.image(),
                List.copyOf(argv), logFile.toString(), withNode(spec.labels()), ContainerInfo.State.RUNNING, p.pid(),
                p.toHandle().info().startInstant().map(Instant::toString).orElse(null), null, null, null,
                created.toString(), Instant.now().toString(), null, Map.copyOf(env), workDir.toString());
        synchronized (lock) {
            containers.put(id, r);
            children.put(id, p);
            logs.put(id, logOut);
            store.save(r);
        }
        daemon("capstan-log-" + spec.name() + "-out", () -> logOut.pump(p.getInputStream(), "stdout"));
        daemon("capstan-log-" + spec.name() + "-err", () -> logOut.pump(p.getErrorStream(), "stderr"));
        p.onExit().thenRun(() -> recordExitQuietly(id));
        logOut.onClose(() -> logs.remove(id));
        return id;
    }

    @Override
    public void stopContainer(String containerId, Duration grace) throws RuntimeFailure {
        stopAll(List.of(containerId), grace);
    }

    @Override
    public void removeContainer(String containerId) throws RuntimeFailure {
        stopAll(List.of(containerId), Duration.ZERO);
        synchronized (lock) {
            if (containers.remove(containerId) != null) {
                store.deleteContainer(containerId);
            }
        }
    }

    /** A host process with the container's environment, in its working directory: no isolation either. */
    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) throws RuntimeFailure {
        ContainerRecord r;
        synchronized (lock) {
            r = containers.get(containerId);
        }
        if (r == null || r.state() != ContainerInfo.State.RUNNING) {
            throw new RuntimeFailure("container " + containerId + (r == null ? " does not exist" : " is not running"));
        }
        Path dir = r.workDir() != null ? Path.of(r.workDir()) : stateDir;
        return ProcessExec.run(command, r.env() == null ? Map.of() : r.env(), dir, timeout);
    }

    /** Reopens the log file of a container this instance started; others (adopted) keep writing nowhere new. */
    @Override
    public void reopenContainerLog(String containerId) throws RuntimeFailure {
        CriLogFile log = logs.get(containerId);
        if (log != null) {
            try {
                log.reopen();
            } catch (IOException e) {
                throw new RuntimeFailure("cannot reopen the log of container " + containerId + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<SandboxInfo> listSandboxes() {
        synchronized (lock) {
            return sandboxes.values().stream().filter(s -> nodeName.equals(s.labels().get(NODE_LABEL)))
                    .sorted(Comparator.comparing(SandboxRecord::createdAt))
                    .map(s -> new SandboxInfo(s.id(), s.podUid(), s.namespace(), s.name(), s.attempt(), s.ready(),
                            Map.copyOf(s.labels())))
                    .toList();
        }
    }

    @Override
    public List<ContainerInfo> listContainers() throws RuntimeFailure {
        List<String> adopted;
        synchronized (lock) {
            adopted = containers.values().stream().filter(c -> c.state() == ContainerInfo.State.RUNNING)
                    .map(ContainerRecord::id).filter(id -> !children.containsKey(id)).toList();
        }
        for (String id : adopted) {
            recordExit(id);
        }
        synchronized (lock) {
            return containers.values().stream().filter(c -> nodeName.equals(c.labels().get(NODE_LABEL)))
                    .sorted(Comparator.comparing(ContainerRecord::createdAt))
                    .map(ProcessRuntime::toInfo).toList();
        }
    }

    /** Stops the processes this instance started (SIGTERM, 5 s, SIGKILL); records stay for a later instance. */
    @Override
    public void close() {
        try {
            stopAll(List.copyOf(children.keySet()), CLOSE_GRACE);
        } catch (RuntimeFailure e) {
            log.warn("{}", e.getMessage());
        }
    }

    /** SIGTERM to every process (and its descendants), one shared grace period, then SIGKILL to what is left. */
    private void stopAll(List<String> ids, Duration grace) throws RuntimeFailure {
        Map<String, ProcessHandle> roots = new LinkedHashMap<>();
        for (String id : ids) {
            liveHandle(id).ifPresent(h -> roots.put(id, h));
        }
        List<String> survivors = ProcessTrees.stop(roots, grace);
        for (String id : roots.keySet()) {
            Process p = children.get(id);
            if (p != null && !survivors.contains(id)) {
                try {
                    p.waitFor(); // the exit status is there once the handle has exited
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            recordExit(id);
        }
        if (!survivors.isEmpty()) {
            throw new RuntimeFailure("container(s) " + survivors + " survived SIGKILL: the process is stuck in the kernel");
        }
    }

    /** The running process of a container: our child, or one an earlier instance started (same pid and start time). */
    private Optional<ProcessHandle> liveHandle(String id) {
        Process p = children.get(id);
        if (p != null) {
            return p.isAlive() ? Optional.of(p.toHandle()) : Optional.empty();
        }
        ContainerRecord r;
        synchronized (lock) {
            r = containers.get(id);
        }
        if (r == null || r.state() != ContainerInfo.State.RUNNING) {
            return Optional.empty();
        }
        return ProcessHandle.of(r.pid()).filter(ProcessHandle::isAlive).filter(h -> r.processStart() == null
                || h.info().startInstant().map(i -> i.toString().equals(r.processStart())).orElse(false));
    }

    /** Moves a RUNNING record to EXITED once its process is gone. Exit code -1 when it is not our child. */
    private void recordExit(String id) throws RuntimeFailure {
        if (liveHandle(id).isPresent()) {
            return;
        }
        Process p = children.get(id);
        synchronized (lock) {
            ContainerRecord r = containers.get(id);
            if (r == null || r.state() != ContainerInfo.State.RUNNING) {
                children.remove(id);
                return;
            }
            Integer code = p != null ? p.exitValue() : null;
            ContainerRecord exited = r.exited(code == null ? -1 : code, code != null && code == 0 ? "Completed" : "Error",
                    ExitCodes.message(code), Instant.now().toString());
            containers.put(id, exited);
            children.remove(id);
            store.save(exited);
        }
    }

    private void recordExitQuietly(String id) {
        try {
            recordExit(id);
        } catch (RuntimeFailure | RuntimeException e) {
            log.warn("could not record the exit of container {}: {}", id, e.getMessage());
        }
    }

    private static ContainerInfo toInfo(ContainerRecord r) {
        return new ContainerInfo(r.id(), r.sandboxId(), r.name(), r.attempt(), r.state(),
                r.exitCode() == null ? 0 : r.exitCode(), r.reason(), r.message(), instant(r.createdAt()),
                instant(r.startedAt()), instant(r.finishedAt()), r.image(), Map.copyOf(r.labels()));
    }

    private Map<String, String> withNode(Map<String, String> labels) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(NODE_LABEL, nodeName);
        return Map.copyOf(all);
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
