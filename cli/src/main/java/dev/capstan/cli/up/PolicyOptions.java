package dev.capstan.cli.up;

import dev.capstan.gitsync.GitSource;
import dev.capstan.gitsync.GitSyncException;
import dev.capstan.gitsync.PolicyGate;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code capstan up} reads admission policies besides the followed path.
 *
 * @param dirs     directories of the followed repository ({@code --policies}), read at each synced commit
 * @param repo     another repository ({@code --policy-repo}: a path or file:// URL), read at its head; or null
 * @param repoPath the directory inside {@code repo} ({@code --policy-path}); "" for all of it
 */
public record PolicyOptions(List<Path> dirs, String repo, String repoPath) {
    public static final PolicyOptions NONE = new PolicyOptions(List.of(), null, "");

    /** The gate for a followed source; a directory outside the followed repository is an error. */
    PolicyGate gate(GitSource followed) throws GitSyncException {
        List<PolicyGate.Source> sources = new ArrayList<>();
        for (Path d : dirs) {
            Path real;
            try {
                real = d.toAbsolutePath().normalize().toRealPath();
            } catch (IOException e) {
                throw new GitSyncException("--policies " + d + ": no such directory");
            }
            if (!real.startsWith(followed.repoRoot())) {
                throw new GitSyncException("--policies " + d + " is not in the followed repository "
                        + followed.repoRoot() + " (use --policy-repo for another repository)");
            }
            sources.add(PolicyGate.sameRepository(followed, followed.repoRoot().relativize(real).toString()
                    .replace('\\', '/')));
        }
        if (repo != null) {
            Path root = repo.startsWith("file:") ? Path.of(URI.create(repo)) : Path.of(repo);
            if (!Files.isDirectory(root)) {
                throw new GitSyncException("--policy-repo " + repo + ": not a directory (a local clone or file:// URL)");
            }
            Path dir = repoPath == null || repoPath.isEmpty() ? root : root.resolve(repoPath);
            sources.add(PolicyGate.otherRepository(GitSource.discover(dir)));
        }
        return new PolicyGate(sources);
    }
}
