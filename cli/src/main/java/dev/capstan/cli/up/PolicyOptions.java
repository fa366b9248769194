package dev.capstan.cli.up;

import dev.capstan.gitsync.GitSource;
import dev.capstan.gitsync.GitSyncException;
import dev.capstan.gitsync.PolicyGate;
import dev.capstan.gitsync.PolicyRepository;
import dev.capstan.gitsync.SourceAuth;
import dev.capstan.gitsync.SourceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where {@code capstan up} reads admission policies besides the followed path.
 *
 * @param dirs       directories of the followed repository ({@code --policies}), read at each synced commit
 * @param repo       a repository of the policy authors ({@code --policy-repo}): any URL an app source takes; or null
 * @param repoPath   the directory inside {@code repo} ({@code --policy-path}); "" for all of it
 * @param repoBranch its branch ({@code --policy-branch}); null: the remote's default (a local clone's checked out)
 * @param repoAuth   its credentials, as a source's ({@code --policy-password-file} …); null: none
 */
public record PolicyOptions(List<Path> dirs, String repo, String repoPath, String repoBranch, SourceAuth repoAuth) {
    public static final PolicyOptions NONE = new PolicyOptions(List.of(), null, "");
    /** The name the policy repository's mirror and messages go by. */
    static final String REPO_NAME = "policies";

    public PolicyOptions(List<Path> dirs, String repo, String repoPath) {
        this(dirs, repo, repoPath, null, null);
    }

    /**
     * Opens the policy repository (a remote one is mirrored under {@code stateDir/git/policy}) and reads its head, so
     * that a wrong URL, credential or a policy commit that does not compile fails at start; null without one.
     */
    PolicyRepository openRepository(Path stateDir, Map<String, String> env) throws GitSyncException {
        if (repo == null) {
            return null;
        }
        SourceSpec spec;
        try {
            spec = new SourceSpec(REPO_NAME, repo, repoBranch, repoPath, null, repoAuth);
        } catch (IllegalArgumentException e) {
            throw new GitSyncException("--policy-repo: " + e.getMessage().replace("source '" + REPO_NAME + "'", "it"));
        }
        PolicyRepository r;
        try {
            r = new PolicyRepository(spec, stateDir.resolve("git").resolve("policy"), env);
        } catch (GitSyncException e) { // name the flags, not the sources-file keys
            throw new GitSyncException("--policy-repo: " + e.getMessage().replace("(knownHostsFile)",
                    "(--policy-known-hosts)").replace("(sshKeyFile)", "(--policy-ssh-key)"));
        }
        r.refresh();
        if (r.commitInForce() == null) {
            r.close();
            throw new GitSyncException("--policy-repo " + spec.displayUrl() + ": no policies to start with: "
                    + r.status().replace("(" + REPO_NAME + "=" + spec.displayUrl() + "#BRANCH)",
                    "(--policy-branch BRANCH)"));
        }
        return r;
    }

    /**
     * The gate for a followed source; a directory outside the followed repository is an error.
     *
     * @param repository the opened policy repository ({@link #openRepository}), shared by every source; or null
     */
    PolicyGate gate(GitSource followed, PolicyRepository repository) throws GitSyncException {
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
        if (repository != null) {
            sources.add(repository);
        }
        return new PolicyGate(sources);
    }
}
