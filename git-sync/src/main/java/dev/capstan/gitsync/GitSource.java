package dev.capstan.gitsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Where desired state comes from: a repository on disk, the ref to follow and the directory inside it.
 *
 * @param repoRoot the work tree's root (or the bare repository; for a remote, its local mirror)
 * @param path     the directory inside the repository, {@code ""} for all of it, always with '/'
 * @param ref      the full ref followed, e.g. {@code refs/heads/main}; {@code HEAD} when detached
 * @param name     the source's name ({@link #DEFAULT} for the one {@code capstan up DIR} follows); it labels the
 *                 objects applied from it and names its revisions
 * @param url      where the source comes from, for people and Revision objects (never with credentials): the
 *                 repository's path for a local source, the remote URL for a mirrored one
 */
public record GitSource(Path repoRoot, String path, String ref, String name, String url) {
    /** The name of the source {@code capstan up DIR} follows. */
    public static final String DEFAULT = "default";

    /** A local source named {@link #DEFAULT}. */
    public GitSource(Path repoRoot, String path, String ref) {
        this(repoRoot, path, ref, DEFAULT, repoRoot.toString());
    }

    /** The same source under another name. */
    public GitSource named(String newName) {
        return new GitSource(repoRoot, path, ref, newName, url);
    }

    /** The branch followed, without {@code refs/heads/}; {@code ref} itself when it is not a branch. */
    public String branch() {
        return ref.startsWith(Constants.R_HEADS) ? ref.substring(Constants.R_HEADS.length()) : ref;
    }

    /**
     * Finds the repository that holds {@code dir} (the directory itself or one of its parents) and
     * follows its current branch, restricted to {@code dir}.
     */
    public static GitSource discover(Path dir) throws GitSyncException {
        Path abs;
        try {
            abs = dir.toAbsolutePath().normalize();
            if (!Files.isDirectory(abs)) {
                throw new GitSyncException(dir + ": no such directory");
            }
            abs = abs.toRealPath();
        } catch (IOException e) {
            throw new GitSyncException(dir + ": " + e.getMessage(), e);
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(abs.toFile());
        if (builder.getGitDir() == null) {
            throw new GitSyncException(dir + " is not inside a Git repository (run 'git init' and commit your "
                    + ".cap files first)");
        }
        try (Repository repo = builder.setMustExist(true).build()) {
            Path top = repo.isBare() ? repo.getDirectory().toPath() : repo.getWorkTree().toPath().toRealPath();
            String rel = top.relativize(abs).toString().replace('\\', '/');
            String full = repo.getFullBranch();
            String ref = full != null && full.startsWith(Constants.R_HEADS) ? full : Constants.HEAD;
            return new GitSource(top, rel, ref);
        } catch (IOException e) {
            throw new GitSyncException("cannot open the Git repository at " + abs + ": " + e.getMessage(), e);
        }
    }

    /** For people: {@code /src/capstan (main) examples/hello}, with {@code NAME: } before it unless default. */
    public String describe() {
        return (DEFAULT.equals(name) ? "" : name + ": ") + url + " (" + branch() + ")" + (path.isEmpty() ? "" : " " + path);
    }
}
