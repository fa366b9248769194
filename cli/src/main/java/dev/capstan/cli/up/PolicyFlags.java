package dev.capstan.cli.up;

import dev.capstan.cli.UserError;
import dev.capstan.gitsync.SourceAuth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The admission policy flags of {@code capstan up} (a picocli mixin). The policy repository takes the URLs of an
 * app source, and its credentials are the keys of a source in a sources file, as flags.
 */
public final class PolicyFlags {
    @Option(names = "--policies", paramLabel = "DIR", description = "Admission policies in this directory of the "
            + "followed repository, read at each commit (repeatable); policy blocks in the followed path apply too.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--policy-repo", paramLabel = "URL", description = "Admission policies from a repository of "
            + "their own: a local clone, file://, https://, http://, ssh:// or git@host:path, fetched on every poll; "
            + "a head that does not compile is rejected and the last good policies stay in force.")
    String repo;

    @Option(names = "--policy-path", paramLabel = "DIR", defaultValue = "",
            description = "The directory of --policy-repo holding the policies (default: all of it).")
    String path;

    @Option(names = "--policy-branch", paramLabel = "BRANCH",
            description = "The branch of --policy-repo (default: the remote's default branch; a local clone's "
                    + "checked-out one).")
    String branch;

    @Option(names = "--policy-username", paramLabel = "USER", description = "HTTPS user for --policy-repo (default git).")
    String username;

    @Option(names = "--policy-password-file", paramLabel = "FILE",
            description = "A file holding the HTTPS password or token of --policy-repo (read at each fetch).")
    Path passwordFile;

    @Option(names = "--policy-password-env", paramLabel = "VAR",
            description = "An environment variable holding the HTTPS password or token of --policy-repo.")
    String passwordEnv;

    @Option(names = "--policy-ssh-key", paramLabel = "FILE", description = "The SSH private key for --policy-repo.")
    Path sshKey;

    @Option(names = "--policy-known-hosts", paramLabel = "FILE",
            description = "The known_hosts file for an SSH --policy-repo (required for SSH).")
    Path knownHosts;

    /** The options these flags give; the flags of the policy repository without {@code --policy-repo} are an error. */
    public PolicyOptions options() {
        if (repo == null && (branch != null || !path.isEmpty() || username != null || passwordFile != null
                || passwordEnv != null || sshKey != null || knownHosts != null)) {
            throw new UserError("--policy-path, --policy-branch and the --policy-* credentials are used with "
                    + "--policy-repo URL", 2);
        }
        return new PolicyOptions(dirs, repo, path, branch,
                new SourceAuth(username, passwordFile, passwordEnv, sshKey, knownHosts));
    }
}
