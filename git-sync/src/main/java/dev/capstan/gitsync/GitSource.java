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
 * @param repoRoot the work tree's root (or the bare repository)
 * @param path     the directory inside the repository, {@code ""} for all of it, always with '/'
 * @param ref      the full ref followed, e.g. {@code refs/heads/main}; {@code HEAD} when detached
 */
public record GitSource(Path repoRoot, String path, String ref) {

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

    /** For people: {@code /src/capstan (main) examples/hello}. */
    public String describe() {
        String branch = ref.startsWith(Constants.R_HEADS) ? ref.substring(Constants.R_HEADS.length()) : ref;
        return repoRoot + " (" + branch + ")" + (path.isEmpty() ? "" : " " + path);
    }
}
