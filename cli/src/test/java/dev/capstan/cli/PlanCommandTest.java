package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code capstan plan} through the command line: exit codes, formats and errors, over a real repository. */
class PlanCommandTest {
    @TempDir
    static Path dir;
    static Path repo;
    static String first;
    static String second;
    static String broken;

    private static String app(int replicas, String image) {
        return "namespace demo { }\nservice app in demo {\n  image \"" + image + "\"\n  replicas " + replicas
                + "\n  resources { cpu 100m  memory 512Mi }\n}\n";
    }

    @BeforeAll
    static void repository() throws Exception {
        repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve("deploy"));
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("deploy/app.cap"), app(2, "x/app:1.0"));
            first = commit(git, "first");
            Files.writeString(repo.resolve("deploy/app.cap"), app(3, "x/app:1.1"));
            second = commit(git, "second");
            Files.writeString(repo.resolve("deploy/app.cap"), app(3, "x/app:1.1").replace("replicas 3", "replicas three"));
            broken = commit(git, "broken");
        }
        Files.writeString(dir.resolve("policies.cap"), """
                policy no-latest-tag {
                  applies-to service
                  mode enforce
                  deny if service.image.endsWith(":1.1") message "pin ${service.name} elsewhere"
                }
                """);
        Files.writeString(dir.resolve("nodes.yaml"), "nodes:\n  - { name: small, cpu: \"1\", memory: 1Gi }\n");
    }

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                .setSign(false).call().name();
    }

    private static CliRun plan(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "plan";
        all[1] = "--repo";
        all[2] = repo.resolve("deploy").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRun.of(all);
    }

    @Test
    void changesExitOneAndShowFieldChanges() {
        CliRun r = plan("--base", first, "--head", second);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("~  Deployment  demo/app", "replicas  2", "→  3", "image     x/app:1.0",
                "pods: 1 created, 2 replaced", "policies: none configured", "result: changes (exit 1)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void policiesOfPoliciesDirJudgeTheHeadWithBothLocations() {
        CliRun r = plan("--base", first, "--head", second, "--policies", dir.resolve("policies.cap").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).contains("no-latest-tag", "pin app elsewhere", "deploy/app.cap:2:", "policies.cap:4:");
        CliRun allowed = plan("--base", second, "--head", first, "--policies", dir.resolve("policies.cap").toString());
        assertThat(allowed.exitCode()).isEqualTo(1);
        assertThat(allowed.out()).doesNotContain("pin app elsewhere", "none configured");
    }

    @Test
    void anExceptionThatNamesNoObjectOfTheHeadIsAWarning() throws Exception {
        Path policies = dir.resolve("exception-policies.cap");
        Files.writeString(policies, Files.readString(dir.resolve("policies.cap")) + """
                exception old-app {
                  policy no-latest-tag
                  objects ["demo/app", "demo/ap"]
                  reason "moving off 1.1 in PLAT-7"
                }
                """);
        CliRun r = plan("--base", first, "--head", second, "--policies", policies.toString());
        assertThat(r.exitCode()).as(r.out()).isEqualTo(1); // demo/app is exempt: changes, nothing blocks
        assertThat(r.out()).contains("WARN", "exception old-app", "warning[W052] " + policies + ":6:1: exception "
                + "old-app names demo/ap, which no object is").doesNotContain("pin app elsewhere");
    }

    @Test
    void noChangeExitsZero() {
        CliRun r = plan("--base", second, "--head", second);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("no changes (2 unchanged)");
    }

    @Test
    void headThatDoesNotCompileExitsTwoWithDiagnostics() {
        CliRun r = plan("--base", second, "--head", broken);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).containsPattern("error\\[E[0-9]+\\] deploy/app.cap:4:")
                .contains("replicas three", "result: invalid (exit 2)");
        CliRun md = plan("--base", second, "--head", broken, "--format", "markdown");
        assertThat(md.exitCode()).isEqualTo(2);
        assertThat(md.out()).contains("**Invalid**: head does not compile", "```text");
    }

    @Test
    void badRevisionIsOneLineAndExitsTwo() {
        CliRun r = plan("--base", "no-such-branch", "--head", second);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).startsWith("capstan: error: unknown revision 'no-such-branch' in ")
                .doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void jsonIsVersionedAndCarriesThePlacement() throws Exception {
        CliRun r = plan("--base", first, "--head", second, "--format", "json", "--nodes",
                dir.resolve("nodes.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertThat(j.get("version").asInt()).isEqualTo(1);
        assertThat(j.get("outcome").asText()).isEqualTo("changes");
        assertThat(j.at("/head/commit").asText()).isEqualTo(second);
        assertThat(j.at("/changes/0/fields/0/path").asText()).isEqualTo("replicas");
        assertThat(j.at("/changes/0/fields/0/after").asInt()).isEqualTo(3);
        assertThat(j.at("/placement/newPods").asInt()).isEqualTo(3);
        assertThat(j.at("/placement/scheduled").asInt()).isEqualTo(2); // the old pods leave; 1Gi holds two of 512Mi
        assertThat(j.at("/placement/unfit/0/reason").asText())
                .isEqualTo("0/1 nodes are available: 1 insufficient memory.");
        assertThat(j.get("policies").get("configured").asBoolean()).isFalse();
    }

    @Test
    void clusterAndNodesTogetherOrAnUnreachableClusterExitTwo() {
        CliRun both = plan("--base", first, "--head", second, "--cluster", "http://127.0.0.1:1", "--nodes", "n.yaml");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("give --cluster or --nodes, not both");
        CliRun down = plan("--base", first, "--head", second, "--cluster", "http://127.0.0.1:1",
                "--kubeconfig", dir.resolve("no-kubeconfig").toString());
        assertThat(down.exitCode()).isEqualTo(2);
        assertThat(down.err()).startsWith("capstan: error: cannot read nodes and pods from http://127.0.0.1:1");
    }

    @Test
    void wrongPathSaysSo() {
        CliRun r = plan("--base", first, "--head", second, "--path", "nowhere");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no .cap files under 'nowhere'");
    }

    @Test
    void helpWorksWithoutTheRequiredOptions() {
        CliRun r = CliRun.of("plan", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("--base=REV", "--nodes=FILE", "--format=FORMAT");
    }
}
