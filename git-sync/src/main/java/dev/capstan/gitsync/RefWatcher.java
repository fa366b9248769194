package dev.capstan.gitsync;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a local repository's refs ({@code HEAD}, {@code packed-refs}, the followed branch's directory under
 * {@code refs/heads}) with a {@link WatchService} and calls {@code onChange} when one of them changes, so that
 * a commit, reset or branch switch is synced at once instead of at the next poll. Polling stays the fallback:
 * where the file system cannot be watched, {@link #start} returns null and says so at debug level.
 */
public final class RefWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefWatcher.class);

    private final WatchService service;
    private final Thread thread;
    private final List<Path> gitDirs;

    private RefWatcher(WatchService service, Runnable onChange, String name, List<Path> gitDirs) {
        this.service = service;
        this.gitDirs = gitDirs;
        this.thread = new Thread(() -> loop(onChange), "git-refs-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts watching {@code source}'s refs; null when they cannot be watched (polling still works). */
    public static RefWatcher start(GitSource source, Runnable onChange) {
        List<Path> dirs = new ArrayList<>();
        try {
            FileRepositoryBuilder b = new FileRepositoryBuilder().setMustExist(true);
            if (Files.exists(source.repoRoot().resolve(".git"))) {
                b.findGitDir(source.repoRoot().toFile());
            } else {
                b.setGitDir(source.repoRoot().toFile());
            }
            try (Repository repo = b.build()) {
                Path gitDir = repo.getDirectory().toPath();
                dirs.add(gitDir);
                Path common = gitDir;
                Path commonFile = gitDir.resolve("commondir"); // a linked work tree keeps its refs in the main one
                if (Files.isRegularFile(commonFile)) {
                    common = gitDir.resolve(Files.readString(commonFile).strip()).normalize();
                    dirs.add(common);
                }
                Path refDir = common.resolve(source.ref()).getParent();
                for (Path d = refDir; d != null && d.startsWith(common.resolve("refs")); d = d.getParent()) {
                    if (Files.isDirectory(d)) {
                        dirs.add(d);
                    }
                }
            }
            WatchService ws = FileSystems.getDefault().newWatchService();
            for (Path d : dirs) {
                d.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
            RefWatcher w = new RefWatcher(ws, onChange, source.name(), gitDirsOf(dirs));
            w.thread.start();
            return w;
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot watch the refs of {} ({}); polling only", source.describe(), e.toString());
            return null;
        }
    }

    /** The repository directories among the watched ones (the first, and the common one of a linked work tree). */
    private static List<Path> gitDirsOf(List<Path> dirs) {
        List<Path> out = new ArrayList<>();
        out.add(dirs.get(0));
        for (Path d : dirs.subList(1, dirs.size())) {
            if (!d.getFileName().toString().equals("refs") && !d.toString().contains("/refs/")
                    && !d.toString().endsWith("/refs")) {
                out.add(d);
            }
        }
        return out;
    }

    private void loop(Runnable onChange) {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean relevant = false;
                boolean inGitDir = gitDirs.contains((Path) key.watchable());
                for (var event : key.pollEvents()) {
                    Object ctx = event.context();
                    String f = ctx == null ? "" : ctx.toString();
                    // lock files come and go during every ref update; the rename onto the ref is what counts.
                    // In the repository directory itself only HEAD and packed-refs matter (not the index, logs …).
                    relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW
                            || (inGitDir ? f.equals("HEAD") || f.equals("packed-refs") : !f.endsWith(".lock"));
                }
                key.reset();
                if (relevant) {
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // nothing to do
        }
        thread.interrupt();
    }
}
