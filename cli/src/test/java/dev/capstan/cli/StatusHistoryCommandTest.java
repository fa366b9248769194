package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.engine.api.ApiServer;
import dev.capstan.engine.client.Kubeconfig;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.gitsync.Commit;
import dev.capstan.gitsync.GitSource;
import dev.capstan.gitsync.RevisionApplier;
import dev.capstan.model.Json;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Revision;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capstan status} and {@code capstan history} against a real API server over a real (embedded Hazelcast)
 * store holding the revisions git-sync records: two applied commits and a newer rejected one.
 */
class StatusHistoryCommandTest {
    private static final String SHA1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String SHA2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String SHA3 = "3333333ccccccccccccccccccccccccccccccccc";
    private static final String DIAG = "error[E0201] deploy/web.cap:3:12: unknown field 'replica'";
    private static final String POLICY_NOTE = "cannot fetch source 'policies' from https://git.example.com/p.git: "
            + "connection refused; the policies of abcdef0 stay in force";

    @TempDir
    static Path tmp;
    private static HazelcastStateStore store;
    private static ApiServer server;
    private static String kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("status-" + UUID.randomUUID())
                .withPort(20000 + ThreadLocalRandom.current().nextInt(20000)).withBackupCount(0));
        server = ApiServer.builder(store).bind("127.0.0.1", 0).plainHttp().adminToken("t").build().start();
        Path kc = tmp.resolve("kubeconfig");
        new Kubeconfig(server.url(), "t", null).write(kc);
        kubeconfig = kc.toString();
        RevisionApplier applier = new RevisionApplier(store, new GitSource(Path.of("/srv/repo"), "deploy",
                "refs/heads/main"));
        Instant now = Instant.now();
        applier.apply(new Commit(SHA1, "Ann <ann@example.com>", "first cut\n\nbody", now.minus(Duration.ofHours(3)),
                "t1"), List.of());
        applier.apply(new Commit(SHA2, "Bob <bob@example.com>", "scale web to 3", now.minus(Duration.ofHours(2)),
                "t2"), List.of());
        applier.reject(new Commit(SHA3, "Cy <cy@example.com>", "typo in web", now.minus(Duration.ofMinutes(30)),
                "t3"), List.of(DIAG));
        applier.notePolicies(POLICY_NOTE); // what git-sync notes when the policy repository cannot be fetched
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void statusShowsTheAppliedCommitAndWhyTheNewestWasRejected() {
        CliRun r = CliRun.of("status", "--kubeconfig", kubeconfig);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "Source:         /srv/repo (main) deploy\n",
                "Applied:        2222222  scale web to 3\n",
                "  Author:       Bob <bob@example.com>\n",
                "  Committed:    2h ago\n",
                "Newest seen:    3333333  typo in web\n",
                "  Author:       Cy <cy@example.com>\n",
                "  Committed:    30m ago\n",
                "Phase:          Rejected: the cluster keeps running 2222222\n",
                "Rejected because:\n  " + DIAG + "\n",
                "Policy status:  " + POLICY_NOTE + "\n");
        assertThat(r.out()).doesNotContain("1111111");
    }

    @Test
    void statusAsJsonIsForPrograms() {
        CliRun r = CliRun.of("status", "-o", "json", "--kubeconfig", kubeconfig);

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = Json.read(r.out(), JsonNode.class);
        assertThat(j.path("branch").asText()).isEqualTo("main");
        assertThat(j.path("applied").path("commit").asText()).isEqualTo(SHA2);
        assertThat(j.path("applied").path("phase").asText()).isEqualTo("Applied");
        assertThat(j.path("newest").path("commit").asText()).isEqualTo(SHA3);
        assertThat(j.path("newest").path("phase").asText()).isEqualTo("Rejected");
        assertThat(j.path("newest").path("diagnostics").get(0).asText()).isEqualTo(DIAG);
        assertThat(j.path("upToDate").asBoolean()).isFalse();
        assertThat(j.path("policyStatus").asText()).isEqualTo(POLICY_NOTE);
    }

    @Test
    void historyListsRevisionsNewestFirstInAlignedColumns() {
        CliRun r = CliRun.of("history", "--kubeconfig", kubeconfig);

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("COMMIT +PHASE +AUTHOR +AGE +MESSAGE");
        assertThat(lines.get(1)).matches("3333333 +Rejected +Cy <cy@example.com> +30m +typo in web");
        assertThat(lines.get(2)).matches("2222222 +Applied +Bob <bob@example.com> +2h +scale web to 3");
        assertThat(lines.get(3)).matches("1111111 +Superseded +Ann <ann@example.com> +3h +first cut");
        int phaseColumn = lines.get(0).indexOf("PHASE");
        int messageColumn = lines.get(0).indexOf("MESSAGE");
        for (String line : lines.subList(1, 4)) {
            assertThat(line.charAt(phaseColumn)).isNotEqualTo(' ');
            assertThat(line.charAt(phaseColumn - 1)).isEqualTo(' ');
            assertThat(line.charAt(messageColumn)).isNotEqualTo(' ');
        }
    }

    @Test
    void historyAsJsonAndWithALimit() {
        CliRun json = CliRun.of("history", "-o", "json", "--kubeconfig", kubeconfig);
        CliRun one = CliRun.of("history", "--limit", "1", "--kubeconfig", kubeconfig);

        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode revs = Json.read(json.out(), JsonNode.class).path("revisions");
        assertThat(revs).hasSize(3);
        assertThat(revs.get(0).path("commit").asText()).isEqualTo(SHA3);
        assertThat(revs.get(2).path("phase").asText()).isEqualTo("Superseded");
        assertThat(revs.get(1).path("author").asText()).isEqualTo("Bob <bob@example.com>");
        assertThat(one.out().lines().toList()).hasSize(2);
    }

    @Test
    void anUpToDateClusterSaysSo() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:00:00Z"), ZoneOffset.UTC);
        List<Revision> revs = new ArrayList<>(List.of(
                revision(SHA1, "2026-01-02T01:00:00Z", Revision.SUPERSEDED, List.of()),
                revision(SHA3, "2026-01-02T02:00:00Z", Revision.REJECTED, List.of(DIAG)),
                revision(SHA2, "2026-01-02T02:30:00Z", Revision.APPLIED, List.of())));
        revs.sort(Revisions.NEWEST_FIRST);

        String out = StatusCommand.text(revs, clock);

        assertThat(out).contains("Applied:        2222222  msg\n", "  Committed:    30m ago\n",
                "Newest seen:    the applied commit (up to date)\n").doesNotContain("Rejected");
        assertThat(Json.read(StatusCommand.json(revs), JsonNode.class).path("upToDate").asBoolean()).isTrue();
        assertThat(StatusCommand.text(List.of(), clock)).startsWith("No revisions yet");
    }

    @Test
    void badInputIsAOneLineError() {
        CliRun yaml = CliRun.of("status", "-o", "yaml", "--kubeconfig", kubeconfig);
        CliRun missing = CliRun.of("history", "--kubeconfig", tmp.resolve("nope").toString());

        assertThat(yaml.exitCode()).isEqualTo(2);
        assertThat(yaml.err()).startsWith("capstan: error: --output must be json");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("capstan: error: no kubeconfig at").doesNotContain("Exception");
    }

    private static Revision revision(String sha, String time, String phase, List<String> diags) {
        return new Revision(ObjectMeta.of(null, sha.substring(0, 12)).withCreationTimestamp(time),
                new Revision.Spec(sha, "A <a@example.com>", "msg", time, "/srv/repo", "main", ""),
                new Revision.Status(phase, diags, 0, Instant.parse(time).plus(1, ChronoUnit.SECONDS).toString()));
    }
}
