package dev.capstan.node.runtime.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stopping a process together with its descendants, and finding a command on a PATH. */
final class ProcessTrees {

    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private ProcessTrees() {
    }

    /**
     * Sends SIGTERM to every root and its descendants, waits for the roots during one shared grace
     * period, then sends SIGKILL to whatever is left of each tree (as the end of a PID namespace would).
     *
     * @return the keys whose root survived SIGKILL (normally none)
     */
    static <K> List<K> stop(Map<K, ProcessHandle> roots, Duration grace) {
        Map<K, List<ProcessHandle>> trees = new HashMap<>();
        roots.forEach((key, root) -> {
            List<ProcessHandle> descendants = root.descendants().toList();
            trees.put(key, descendants);
            root.destroy();
            descendants.forEach(ProcessHandle::destroy);
        });
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle root : roots.values()) {
            awaitExit(root, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        List<K> survivors = new ArrayList<>();
        for (var e : roots.entrySet()) {
            ProcessHandle root = e.getValue();
            List<ProcessHandle> all = new ArrayList<>(trees.get(e.getKey()));
            if (root.isAlive()) {
                all.addAll(root.descendants().toList());
                root.destroyForcibly();
            }
            all.forEach(ProcessHandle::destroyForcibly);
            if (!awaitExit(root, KILL_WAIT)) {
                survivors.add(e.getKey());
            }
        }
        return survivors;
    }

    /** True when the process has exited within {@code timeout}. */
    static boolean awaitExit(ProcessHandle h, Duration timeout) {
        try {
            h.onExit().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !h.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.isAlive();
        }
    }

    /** Looks a command up the way a shell would, on the given PATH (relative entries from the working dir). */
    static Optional<Path> resolve(String command, String path, Path workDir) {
        if (command.contains("/")) {
            Path p = workDir.resolve(command);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator, -1)) {
            Path p = workDir.resolve(dir.isEmpty() ? "." : dir).resolve(command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
