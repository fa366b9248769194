package dev.capstan.node.agent;

import dev.capstan.engine.store.NotFoundException;
import dev.capstan.model.Pod;
import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's container log files: {@code <logRoot>/<ns>_<pod>_<uid>/<container>/<attempt>.log}, written
 * by the runtime in the CRI format. Rotates a running container's file past
 * {@link AgentConfig#logMaxBytes()} ({@code N.log} becomes {@code N.log.1}, older ones shift, at most
 * {@link AgentConfig#logMaxFiles()} rotated files are kept) and asks the runtime to reopen it; removes
 * the directory of a pod that is gone; opens an attempt's files for reading. Runtimes never rotate or
 * delete these files themselves.
 */
final class ContainerLogs {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerLogs.class);
    private static final Pattern FILE = Pattern.compile("(\\d+)\\.log(?:\\.(\\d+))?");

    private final AgentConfig config;
    private final ContainerRuntime runtime;

    ContainerLogs(AgentConfig config, ContainerRuntime runtime) {
        this.config = config;
        this.runtime = runtime;
    }

    /** A pod's log directory (the sandbox's log directory). */
    Path podDir(String namespace, String name, String uid) {
        return config.logRoot().resolve(namespace + "_" + name + "_" + uid);
    }

    /** Rotates the log of every running container whose current file is past the size limit. */
    void rotate(List<ContainerInfo> containers) {
        Map<String, Path> dirs = null;
        for (ContainerInfo c : containers) {
            if (c.state() != ContainerInfo.State.RUNNING) {
                continue;
            }
            String uid = c.labels().get(NodeAgent.LABEL_POD_UID);
            if (uid == null) {
                continue;
            }
            if (dirs == null) {
                dirs = podDirsByUid();
            }
            Path dir = dirs.get(uid);
            if (dir == null) {
                continue;
            }
            Path file = dir.resolve(c.name()).resolve(c.attempt() + ".log");
            try {
                if (Files.size(file) > config.logMaxBytes()) {
                    rotateFile(file);
                    runtime.reopenContainerLog(c.id());
                }
            } catch (NoSuchFileException e) {
                // nothing written yet
            } catch (IOException | RuntimeFailure e) {
                LOG.warn("{}: cannot rotate the log {}: {}", config.nodeName(), file, e.getMessage());
            }
        }
    }

    /** {@code N.log.k} becomes {@code N.log.k+1} (the oldest beyond the limit is deleted), {@code N.log} becomes {@code N.log.1}. */
    void rotateFile(Path file) throws IOException {
        int keep = Math.max(1, config.logMaxFiles());
        Path dir = file.getParent();
        String base = file.getFileName().toString();
        Files.deleteIfExists(dir.resolve(base + "." + keep));
        for (int k = keep - 1; k >= 1; k--) {
            Path from = dir.resolve(base + "." + k);
            if (Files.exists(from)) {
                Files.move(from, dir.resolve(base + "." + (k + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, dir.resolve(base + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the log directories of pods whose uid is not in {@code keepUids}. */
    void removeGone(Set<String> keepUids) {
        for (Map.Entry<String, Path> e : podDirsByUid().entrySet()) {
            if (!keepUids.contains(e.getKey())) {
                try {
                    deleteTree(e.getValue());
                    LOG.debug("{}: removed the logs of gone pod {}", config.nodeName(), e.getValue().getFileName());
                } catch (IOException | UncheckedIOException ex) {
                    LOG.warn("{}: cannot remove the logs in {}: {}", config.nodeName(), e.getValue(), ex.getMessage());
                }
            }
        }
    }

    /**
     * Opens the log of a pod's container: its newest attempt, or with {@code previous} the one before.
     *
     * @param running whether that attempt still runs (a follow ends when it does not)
     */
    InputStream open(Pod pod, String container, boolean previous, boolean follow, Integer tailLines,
                     java.util.function.IntFunction<BooleanSupplier> running) {
        Path dir = podDir(pod.metadata().namespace(), pod.metadata().name(), pod.metadata().uid()).resolve(container);
        TreeMap<Integer, TreeMap<Integer, Path>> attempts = attempts(dir);
        if (attempts.isEmpty()) {
            throw new NotFoundException("container \"" + container + "\" in pod \"" + pod.metadata().name()
                    + "\" has no log yet: it has not started");
        }
        Integer attempt = attempts.lastKey();
        if (previous) {
            attempt = attempts.lowerKey(attempt);
            if (attempt == null) {
                throw new NotFoundException("previous terminated container \"" + container + "\" in pod \""
                        + pod.metadata().name() + "\" not found");
            }
        }
        TreeMap<Integer, Path> files = attempts.get(attempt);
        List<Path> rotated = new ArrayList<>();
        files.descendingMap().forEach((k, p) -> {
            if (k > 0) {
                rotated.add(p);
            }
        });
        Path current = dir.resolve(attempt + ".log");
        BooleanSupplier alive = previous ? () -> false : running.apply(attempt);
        return new CriLogReader(rotated, current, tailLines, follow && !previous, alive);
    }

    /** Attempt number to (rotation number, file), rotation 0 being the current file. */
    private static TreeMap<Integer, TreeMap<Integer, Path>> attempts(Path dir) {
        TreeMap<Integer, TreeMap<Integer, Path>> all = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    int rot = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
                    all.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new TreeMap<>()).put(rot, f);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the logs in " + dir + ": " + e.getMessage(), e);
        }
        return all;
    }

    private Map<String, Path> podDirsByUid() {
        Map<String, Path> dirs = new HashMap<>();
        if (!Files.isDirectory(config.logRoot())) {
            return dirs;
        }
        try (Stream<Path> list = Files.list(config.logRoot())) {
            list.filter(Files::isDirectory).forEach(d -> {
                String n = d.getFileName().toString();
                int i = n.lastIndexOf('_');
                if (i > 0 && n.indexOf('_') < i) {
                    dirs.put(n.substring(i + 1), d);
                }
            });
        } catch (IOException e) {
            LOG.warn("{}: cannot list {}: {}", config.nodeName(), config.logRoot(), e.getMessage());
        }
        return dirs;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
