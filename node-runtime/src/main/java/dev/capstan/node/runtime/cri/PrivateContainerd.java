package dev.capstan.node.runtime.cri;

import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.cri.v1.ListPodSandboxRequest;
import dev.capstan.node.runtime.cri.v1.PodSandbox;
import dev.capstan.node.runtime.cri.v1.RemovePodSandboxRequest;
import dev.capstan.node.runtime.cri.v1.StopPodSandboxRequest;
import dev.capstan.node.runtime.internal.HostTools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A containerd started by this process ({@code containerd --config FILE}) whose root, state, sockets,
 * runc root and opt directory all live under one directory the caller owns, so that it never
 * touches another containerd on the machine. Its CRI sandbox image is {@link LocalImages#PAUSE_IMAGE}.
 *
 * <p>{@link #close()} tears everything down: it stops and removes every pod sandbox of this instance,
 * stops containerd by its own process id (SIGTERM, then SIGKILL after 10 s), kills shims left over
 * for its socket, unmounts what is still mounted under the directory and deletes the state
 * directory; the root directory (with the imported images) stays for the next start. There is no
 * shutdown hook of its own: the owner closes it in the order it needs (pods first); one left running by a
 * killed JVM is adopted by the next {@link #start}.
 *
 * <p>When a containerd started earlier for the same directory is still running and answers (the
 * previous agent died without closing it), {@link #start} adopts it instead of starting a second one.
 */
public final class PrivateContainerd implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrivateContainerd.class);
    /** Unix socket paths longer than this do not fit in {@code sockaddr_un}. */
    private static final int MAX_SOCKET_PATH = 100;

    private final ContainerdConfig config;
    private final ProcessHandle process;
    private final boolean adopted;
    private final String version;
    private boolean closed;

    private PrivateContainerd(ContainerdConfig config, ProcessHandle process, boolean adopted, String version) {
        this.config = config;
        this.process = process;
        this.adopted = adopted;
        this.version = version;
    }

    /** Starts (or adopts) a private containerd in {@code dir}, waiting up to 30 s for its CRI to answer. */
    public static PrivateContainerd start(Path dir) throws RuntimeFailure {
        return start(dir, Duration.ofSeconds(30));
    }

    public static PrivateContainerd start(Path dir, Duration startTimeout) throws RuntimeFailure {
        Path containerd = HostTools.findBinary("containerd").orElseThrow(() -> new RuntimeFailure(
                "containerd not installed: apt-get install containerd runc"));
        Path runc = HostTools.findBinary("runc").orElseThrow(() -> new RuntimeFailure(
                "runc not installed: apt-get install runc"));
        if (!HostTools.isRoot()) {
            throw new RuntimeFailure("a private containerd needs root (it mounts filesystems and creates cgroups):"
                    + " run as root, give the socket of a containerd you may use, or choose the process runtime");
        }
        Path abs = dir.toAbsolutePath().normalize();
        Path cniBin = Files.isDirectory(Path.of("/usr/lib/cni")) ? Path.of("/usr/lib/cni") : Path.of("/opt/cni/bin");
        ContainerdConfig config = new ContainerdConfig(abs, runc, LocalImages.PAUSE_IMAGE, cniBin);
        if (config.ttrpcSocket().toString().length() > MAX_SOCKET_PATH) {
            throw new RuntimeFailure("the directory " + abs + " is too long for a unix socket path (at most "
                    + (MAX_SOCKET_PATH - 26) + " characters): choose a shorter state directory");
        }
        try {
            for (Path d : List.of(config.root(), config.state(), config.runcRoot(), config.optDir(), config.cniConfDir())) {
                Files.createDirectories(d);
            }
            Optional<PrivateContainerd> running = adoptRunning(config);
            if (running.isPresent()) {
                return running.get();
            }
            Files.deleteIfExists(config.socket());
            Files.deleteIfExists(config.ttrpcSocket());
            Files.writeString(config.configFile(), config.toml());
            Process p = new ProcessBuilder(containerd.toString(), "--config", config.configFile().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Files.writeString(config.pidFile(), Long.toString(p.pid()));
            try {
                String version = awaitReady(config, p.toHandle(), startTimeout);
                log.info("private containerd {} started (pid {}) in {}", version, p.pid(), abs);
                return new PrivateContainerd(config, p.toHandle(), false, version);
            } catch (RuntimeFailure e) {
                terminate(p.toHandle());
                throw e;
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot start a private containerd in " + abs + ": " + e.getMessage(), e);
        }
    }

    /** The CRI (and containerd API) socket. */
    public Path socket() {
        return config.socket();
    }

    public Path dir() {
        return config.dir();
    }

    public long pid() {
        return process.pid();
    }

    /** containerd's version, e.g. {@code 1.6.20~ds1}. */
    public String version() {
        return version;
    }

    /** True when {@link #start} found this instance already running (left by an earlier agent). */
    public boolean adopted() {
        return adopted;
    }

    public Path logFile() {
        return config.logFile();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stopQuietly();
        }
    }

    private void stopQuietly() {
        removeAllSandboxes();
        terminate(process);
        killLeftoverShims();
        unmountUnder(config.dir());
        deleteTree(config.state());
        try {
            Files.deleteIfExists(config.socket());
            Files.deleteIfExists(config.ttrpcSocket());
            Files.deleteIfExists(config.pidFile());
        } catch (IOException e) {
            log.warn("could not remove the sockets of the private containerd in {}: {}", config.dir(), e.getMessage());
        }
    }

    private void removeAllSandboxes() {
        if (!process.isAlive()) {
            return;
        }
        try (CriClient client = CriClient.connect(config.socket())) {
            List<PodSandbox> all = client.call("list pod sandboxes",
                    () -> client.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance())).getItemsList();
            for (PodSandbox sandbox : all) {
                String id = sandbox.getId();
                try {
                    client.call("stop pod sandbox " + id, () -> client.runtime().stopPodSandbox(
                            StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build()));
                    client.call("remove pod sandbox " + id, () -> client.runtime().removePodSandbox(
                            RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build()));
                } catch (RuntimeFailure e) {
                    log.warn("{}", e.getMessage());
                }
            }
        } catch (RuntimeFailure e) {
            log.warn("could not remove the pods of the private containerd in {}: {}", config.dir(), e.getMessage());
        }
    }

    /** Shims outlive containerd; the ones that serve our socket are ours, and nobody else's. */
    private void killLeftoverShims() {
        String address = config.socket().toString();
        List<ProcessHandle> shims;
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            shims = all.filter(ph -> ph.info().command().map(c -> c.contains("containerd-shim")).orElse(false))
                    .filter(ph -> ph.info().arguments().map(args -> List.of(args).contains(address)).orElse(false))
                    .toList();
        }
        for (ProcessHandle shim : shims) {
            log.warn("killing containerd shim {} left over by the private containerd in {}", shim.pid(), config.dir());
            shim.descendants().forEach(ProcessHandle::destroyForcibly);
            shim.destroyForcibly();
        }
    }

    private static Optional<PrivateContainerd> adoptRunning(ContainerdConfig config) throws IOException {
        if (!Files.isRegularFile(config.pidFile())) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(config.pidFile()).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(ph -> ph.info().arguments().map(a -> List.of(a).contains(config.configFile().toString())).orElse(false));
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        try (CriClient client = CriClient.connect(config.socket())) {
            String version = client.version(Duration.ofSeconds(2)).getRuntimeVersion();
            log.info("adopting the private containerd {} already running (pid {}) in {}", version, pid, config.dir());
            return Optional.of(new PrivateContainerd(config, handle.get(), true, version));
        } catch (RuntimeFailure e) {
            log.warn("the private containerd (pid {}) in {} does not answer: stopping it", pid, config.dir());
            terminate(handle.get());
            return Optional.empty();
        }
    }

    private static String awaitReady(ContainerdConfig config, ProcessHandle process, Duration timeout)
            throws RuntimeFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (CriClient client = CriClient.connect(config.socket())) {
            while (true) {
                if (!process.isAlive()) {
                    throw new RuntimeFailure("containerd exited during start; the end of " + config.logFile() + ":\n"
                            + HostTools.tail(config.logFile(), 15));
                }
                if (Files.exists(config.socket())) {
                    try {
                        return client.version(Duration.ofSeconds(1)).getRuntimeVersion();
                    } catch (RuntimeFailure e) {
                        // CRI not ready yet
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new RuntimeFailure("containerd did not answer on " + config.socket() + " within "
                            + timeout.toSeconds() + " s; the end of " + config.logFile() + ":\n"
                            + HostTools.tail(config.logFile(), 15));
                }
                sleep(50);
            }
        }
    }

    /** SIGTERM, wait up to 10 s, then SIGKILL; only ever the given process. */
    private static void terminate(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("containerd (pid {}) did not stop within 10 s of SIGTERM: killing it", process.pid());
            process.destroyForcibly();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                log.warn("containerd (pid {}) survived SIGKILL for 5 s", process.pid());
            }
        }
    }

    /** Unmounts (lazily, deepest first) whatever is still mounted below {@code dir}. */
    private static void unmountUnder(Path dir) {
        List<String> mounts = new ArrayList<>();
        String prefix = dir.toString() + "/";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    String mountPoint = unescapeMountInfo(f[4]);
                    if (mountPoint.startsWith(prefix)) {
                        mounts.add(mountPoint);
                    }
                }
            }
        } catch (IOException e) {
            return;
        }
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String mountPoint : mounts) {
            try {
                HostTools.Result r = HostTools.run(Duration.ofSeconds(10), List.of("umount", "-l", mountPoint));
                if (r.exitCode() != 0) {
                    log.warn("could not unmount {}: {}", mountPoint, r.output().strip());
                }
            } catch (IOException e) {
                log.warn("could not unmount {}: {}", mountPoint, e.getMessage());
            }
        }
    }

    static String unescapeMountInfo(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // busy or still mounted: leave it
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            log.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }

    private static void sleep(long millis) throws RuntimeFailure {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("interrupted while waiting for containerd to start", e);
        }
    }
}
