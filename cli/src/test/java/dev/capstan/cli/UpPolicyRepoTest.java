package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capstan up --policy-repo}: the policy repository is read before anything starts, so a repository that
 * cannot be fetched, or whose head does not compile, stops {@code up} at once with one clear, located message.
 */
class UpPolicyRepoTest {
    @TempDir
    Path tmp;

    private Path repo(String name, String file, String text) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir.resolve(file).getParent());
        Files.writeString(dir.resolve(file), text);
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("c").setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                    .setSign(false).call();
        }
        return dir;
    }

    private CliRun up(String... policyArgs) throws Exception {
        Path app = repo("app", "deploy/shop.cap", "namespace shop { }\n");
        String[] args = new String[] {"up", app.resolve("deploy").toString(), "--state-dir",
                tmp.resolve("state").toString(), "--kubeconfig", tmp.resolve("kubeconfig").toString(),
                "--api", "127.0.0.1:0", "--dns", "off"};
        String[] all = new String[args.length + policyArgs.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(policyArgs, 0, all, args.length, policyArgs.length);
        return CliRun.of(all);
    }

    @Test
    void anUnreachablePolicyRepositoryStopsUpAtOnceWithoutItsPassword() throws Exception {
        CliRun r = up("--policy-repo", "http://capstan:s3cret-77@127.0.0.1:9/policies.git", "--policy-branch", "main");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--policy-repo http://127.0.0.1:9/policies.git: no policies to start with: "
                + "cannot fetch source 'policies' from http://127.0.0.1:9/policies.git")
                .doesNotContain("s3cret-77").doesNotContain("\tat ");
        assertThat(tmp.resolve("kubeconfig")).doesNotExist(); // nothing was started
    }

    @Test
    void aPolicyHeadThatDoesNotCompileStopsUpWithItsLocation() throws Exception {
        Path policies = repo("policies", "rules/p.cap",
                "policy p {\n  applies-to service\n  deny if service.replica > 1\n}\n");
        CliRun r = up("--policy-repo", policies.toUri().toString(), "--policy-path", "rules");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("is rejected").contains("error[E056] rules/p.cap:3:")
                .contains("no policies are in force yet");
        assertThat(tmp.resolve("kubeconfig")).doesNotExist();
    }

    @Test
    void sshNeedsAKnownHostsFile() throws Exception {
        CliRun r = up("--policy-repo", "ssh://git@127.0.0.1:9/policies.git", "--policy-ssh-key",
                tmp.resolve("key").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("source 'policies' is reached over SSH: give it a known_hosts file")
                .contains("(--policy-known-hosts)");
    }

    @Test
    void policyRepositoryFlagsNeedAPolicyRepository() throws Exception {
        CliRun r = up("--policy-branch", "main");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("are used with --policy-repo URL");
    }
}
