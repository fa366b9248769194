package dev.capstan.node.runtime;

import dev.capstan.node.runtime.cri.CriRuntime;
import dev.capstan.node.runtime.cri.LocalImages;
import dev.capstan.node.runtime.cri.PrivateContainerd;
import dev.capstan.node.runtime.internal.HostTools;
import dev.capstan.node.runtime.process.ProcessRuntime;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Chooses and starts the container runtime for the agents of one process.
 *
 * <ul>
 *   <li>{@code containerd}: containerd over CRI, or a {@link RuntimeFailure} that says why it cannot be used.
 *       With a socket, that containerd is used (and left running); without one, a {@link PrivateContainerd}
 *       is started in {@code stateDir/containerd} and owned by the pool.</li>
 *   <li>{@code process}: a {@link ProcessRuntime} per node in {@code stateDir/process/<node>}.</li>
 *   <li>{@code auto}: containerd when the {@code containerd} and {@code runc} binaries exist and we are
 *       root (or a socket is given), else process; a containerd that fails to start also falls back to
 *       process, and the reason says so.</li>
 * </ul>
 * Either way the local images ({@link LocalImages}) are imported when missing.
 *
 * <pre>{@code
 * try (Runtimes.Pool pool = Runtimes.pool("auto", stateDir, null)) {
 *     log.info("runtime {}", pool.reason());
 *     ContainerRuntime a = pool.runtimeFor("node-1"), b = pool.runtimeFor("node-2");
 * }   // stops a private containerd and everything it runs
 * }</pre>
 */
public final class Runtimes {

    private Runtimes() {
    }

    /**
     * @param mode             {@code auto}, {@code containerd} or {@code process}
     * @param stateDir         the agents' state directory
     * @param containerdSocket an existing containerd's socket to use, or null
     */
    public static Pool pool(String mode, Path stateDir, String containerdSocket) throws RuntimeFailure {
        String m = mode == null ? "auto" : mode.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (m) {
            case "process" -> process(stateDir, "process: chosen by configuration");
            case "containerd" -> containerd(stateDir, containerdSocket);
            case "auto" -> {
                Optional<String> missing = containerdUnusable(containerdSocket);
                if (missing.isPresent()) {
                    yield process(stateDir, "process: " + missing.get());
                }
                try {
                    yield containerd(stateDir, containerdSocket);
                } catch (RuntimeFailure e) {
                    yield process(stateDir, "process: containerd could not be used (" + firstLine(e.getMessage()) + ")");
                }
            }
            default -> throw new RuntimeFailure("unknown runtime mode '" + mode + "': use auto, containerd or process");
        };
    }

    /** Why containerd cannot be used here, or empty when it can (as far as can be told without starting it). */
    public static Optional<String> containerdUnusable(String containerdSocket) {
        if (containerdSocket != null && !containerdSocket.isBlank()) {
            return Optional.empty();
        }
        if (HostTools.findBinary("containerd").isEmpty()) {
            return Optional.of("containerd not installed (apt-get install containerd runc)");
        }
        if (HostTools.findBinary("runc").isEmpty()) {
            return Optional.of("runc not installed (apt-get install runc)");
        }
        if (!HostTools.isRoot()) {
            return Optional.of("a private containerd needs root, and this agent runs as " + System.getProperty("user.name"));
        }
        return Optional.empty();
    }

    private static Pool containerd(Path stateDir, String socket) throws RuntimeFailure {
        if (socket != null && !socket.isBlank()) {
            Path sock = Path.of(socket);
            new CriRuntime(sock, "probe").close(); // fails clearly when nobody answers
            LocalImages.ensure(sock, stateDir.resolve("images"));
            return new Pool("containerd", "containerd: using the containerd at " + socket,
                    node -> new CriRuntime(sock, node), null);
        }
        Optional<String> missing = containerdUnusable(null);
        if (missing.isPresent()) {
            throw new RuntimeFailure("cannot use containerd: " + missing.get());
        }
        Shared shared = Shared.start(stateDir);
        return new Pool("containerd", "containerd: " + HostTools.findBinary("containerd").orElseThrow()
                + " found, private instance at " + shared.containerd().dir() + " (pid " + shared.containerd().pid() + ")",
                shared::runtimeFor, shared);
    }

    private static Pool process(Path stateDir, String reason) {
        return new Pool("process", reason, node -> new ProcessRuntime(stateDir.resolve("process").resolve(node), node),
                null);
    }

    /** Makes one node's runtime. */
    @FunctionalInterface
    interface Factory {
        ContainerRuntime create(String nodeName) throws RuntimeFailure;
    }

    /**
     * The runtime chosen for this process: its name, one line for people saying which and why, and one
     * {@link ContainerRuntime} per node. Closing the pool stops what it owns (a private containerd and
     * everything it runs); closing a per-node runtime closes only that runtime's connection or processes.
     */
    public static final class Pool implements AutoCloseable {
        private final String name;
        private final String reason;
        private final Factory factory;
        private final AutoCloseable owned;

        private Pool(String name, String reason, Factory factory, AutoCloseable owned) {
            this.name = name;
            this.reason = reason;
            this.factory = factory;
            this.owned = owned;
        }

        /** {@code containerd} or {@code process}. */
        public String name() {
            return name;
        }

        /** E.g. {@code process: containerd not installed (apt-get install containerd runc)}. */
        public String reason() {
            return reason;
        }

        public ContainerRuntime runtimeFor(String nodeName) throws RuntimeFailure {
            return factory.create(nodeName);
        }

        @Override
        public void close() {
            if (owned != null) {
                try {
                    owned.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * One private containerd (in {@code dir/containerd}, with the local images imported) shared by
     * several agents in one process, each with its own {@link CriRuntime} and node name. Closing a
     * per-node runtime leaves containerd running; closing this stops it and everything it runs.
     */
    public static final class Shared implements AutoCloseable {
        private final PrivateContainerd containerd;

        private Shared(PrivateContainerd containerd) {
            this.containerd = containerd;
        }

        /** Starts (or adopts) the private containerd and imports the local images it lacks. */
        public static Shared start(Path dir) throws RuntimeFailure {
            PrivateContainerd containerd = PrivateContainerd.start(dir.resolve("containerd"));
            try {
                LocalImages.ensure(containerd.socket(), dir.resolve("images"));
            } catch (RuntimeFailure e) {
                containerd.close();
                throw e;
            }
            return new Shared(containerd);
        }

        public PrivateContainerd containerd() {
            return containerd;
        }

        public Path socket() {
            return containerd.socket();
        }

        /** A runtime for one agent; closing it closes only its connection. */
        public CriRuntime runtimeFor(String nodeName) throws RuntimeFailure {
            return new CriRuntime(containerd.socket(), nodeName);
        }

        @Override
        public void close() {
            containerd.close();
        }
    }
}
