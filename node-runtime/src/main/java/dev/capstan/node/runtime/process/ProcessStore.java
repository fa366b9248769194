package dev.capstan.node.runtime.process;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.RuntimeFailure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The process runtime's records as JSON files: {@code records/sandboxes/<id>.json} and
 * {@code records/containers/<id>.json} under the state directory, each replaced atomically.
 * Not thread-safe: {@link ProcessRuntime} serialises access.
 */
final class ProcessStore {

    /** A sandbox: a directory (the default working directory of its containers) plus metadata. */
    record SandboxRecord(String id, String podUid, String namespace, String name, int attempt, String logDir,
                         String dir, Map<String, String> labels, boolean ready, String createdAt) {
        SandboxRecord notReady() {
            return new SandboxRecord(id, podUid, namespace, name, attempt, logDir, dir, labels, false, createdAt);
        }
    }

    /**
     * A container: a host process. {@code processStart} is the process's start time as the kernel
     * reports it, to tell our process from a later one that reuses its pid. {@code env} and {@code workDir}
     * are what exec probes run with (null in records of older versions).
     */
    record ContainerRecord(String id, String sandboxId, String name, int attempt, String image, List<String> command,
                           String logPath, Map<String, String> labels, ContainerInfo.State state, long pid,
                           String processStart, Integer exitCode, String reason, String message, String createdAt,
                           String startedAt, String finishedAt, Map<String, String> env, String workDir) {
        ContainerRecord exited(Integer code, String why, String message, String finishedAt) {
            return new ContainerRecord(id, sandboxId, name, attempt, image, command, logPath, labels,
                    ContainerInfo.State.EXITED, pid, processStart, code, why, message, createdAt, startedAt, finishedAt,
                    env, workDir);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path sandboxes;
    private final Path containers;

    ProcessStore(Path stateDir) throws RuntimeFailure {
        this.sandboxes = stateDir.resolve("records").resolve("sandboxes");
        this.containers = stateDir.resolve("records").resolve("containers");
        try {
            Files.createDirectories(sandboxes);
            Files.createDirectories(containers);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot create the process runtime's state directory " + stateDir + ": "
                    + e.getMessage(), e);
        }
    }

    List<SandboxRecord> loadSandboxes() throws RuntimeFailure {
        return loadAll(sandboxes, SandboxRecord.class);
    }

    List<ContainerRecord> loadContainers() throws RuntimeFailure {
        return loadAll(containers, ContainerRecord.class);
    }

    void save(SandboxRecord r) throws RuntimeFailure {
        write(sandboxes.resolve(r.id() + ".json"), r);
    }

    void save(ContainerRecord r) throws RuntimeFailure {
        write(containers.resolve(r.id() + ".json"), r);
    }

    void deleteSandbox(String id) throws RuntimeFailure {
        delete(sandboxes.resolve(id + ".json"));
    }

    void deleteContainer(String id) throws RuntimeFailure {
        delete(containers.resolve(id + ".json"));
    }

    private static <T> List<T> loadAll(Path dir, Class<T> type) throws RuntimeFailure {
        List<T> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    result.add(JSON.readValue(f.toFile(), type));
                } catch (IOException e) {
                    throw new RuntimeFailure("the process runtime's record " + f + " is unreadable (" + e.getMessage()
                            + "): delete it if the process it describes is gone", e);
                }
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot read the process runtime's records in " + dir + ": " + e.getMessage(), e);
        }
        return result;
    }

    /**
     * Writes through a temporary file of its own and an atomic rename, so that two writers of one record
     * (an exit watcher and a stop, or two runtime instances over one directory) never share a temp file;
     * the last rename wins.
     */
    private static void write(Path file, Object value) throws RuntimeFailure {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            JSON.writeValue(tmp.toFile(), value);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error below says what went wrong
                }
            }
            throw new RuntimeFailure("cannot write the process runtime's record " + file + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) throws RuntimeFailure {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot delete the process runtime's record " + file + ": " + e.getMessage(), e);
        }
    }

    static void createDirectories(Path dir, String what) throws RuntimeFailure {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot create the " + what + " " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) throws RuntimeFailure {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new RuntimeFailure("cannot delete the sandbox directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
