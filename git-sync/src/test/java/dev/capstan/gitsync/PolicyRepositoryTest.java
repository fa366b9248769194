package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Kinds;
import dev.capstan.model.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy repository of its own, served over HTTP with a password on loopback: followed on every poll of the app
 * source, its commits change what app commits get, the running revision is re-checked (never torn down), and a
 * repository that cannot be fetched or a policy commit that does not compile keeps the last good policies.
 */
class PolicyRepositoryTest {
    private static final String TOKEN = "pol-7b2e91c4d08a";
    private static HazelcastStateStore store;

    @TempDir
    Path tmp;
    private Git app;
    private Git policyWork;
    private Path bare;
    private DumbHttpGitServer server;
    private PolicyRepository policies;
    private final List<SyncOutcome> outcomes = new ArrayList<>();

    @BeforeAll
    static void startStore() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("polrepo-" + UUID.randomUUID())
                .withBackupCount(0));
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        for (var k : Kinds.ALL) {
            for (var o : store.list(k, null)) {
                store.delete(k, o.metadata().namespace(), o.metadata().name(), null);
            }
        }
        app = Git.init().setDirectory(tmp.resolve("app").toFile()).setInitialBranch("main").call();
        Files.createDirectories(tmp.resolve("app/deploy"));
        Files.writeString(tmp.resolve("app/deploy/shop.cap"), "namespace shop { }\n" + GitRepos.service("web", 2));
        commit(app, "first");

        bare = tmp.resolve("host/shop.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        policyWork = Git.init().setDirectory(tmp.resolve("policy-work").toFile()).setInitialBranch("main").call();
        Files.createDirectories(tmp.resolve("policy-work/rules"));
        Files.writeString(tmp.resolve("policy-work/README.md"), "not a .cap file\n");
        pushPolicy(maxReplicas(5), "at most 5");
        server = new DumbHttpGitServer(bare, "capstan", TOKEN);
        server.publish();
        Path token = tmp.resolve("token");
        Files.writeString(token, TOKEN + "\n");
        SourceSpec spec = new SourceSpec("policies", server.url(), null, "rules", null,
                new SourceAuth("capstan", token, null, null, null));
        policies = new PolicyRepository(spec, tmp.resolve("cache"), Map.of());
    }

    @AfterEach
    void tearDown() {
        policies.close();
        server.close();
    }

    private static String maxReplicas(int max) {
        return """
                policy max-replicas {
                  applies-to service
                  params { max = %d }
                  deny if service.replicas > params.max
                    message "service ${service.name} asks for ${service.replicas} replicas; at most ${params.max}"
                }
                """.formatted(max);
    }

    private GitWatcher watcher() throws Exception {
        GitSource source = GitSource.discover(tmp.resolve("app/deploy"));
        return new GitWatcher(new GitReader(source), new CapCompiler(), new RevisionApplier(store, source),
                new PolicyGate(List.of(policies)), Duration.ofSeconds(30), outcomes::add);
    }

    @Test
    void aPolicyCommitChangesWhatTheAppGetsAndTheRunningRevisionIsReportedNotTornDown() throws Exception {
        assertThat(policies.refresh()).isEqualTo(1); // at start: fetched, compiled, in force
        GitWatcher watcher = watcher();
        SyncOutcome first = watcher.syncOnce().orElseThrow();
        assertThat(first.result()).isEqualTo(SyncOutcome.Result.APPLIED);

        pushPolicy(maxReplicas(1), "at most 1");
        server.publish();
        assertThat(watcher.syncOnce()).isEmpty(); // the app did not move; its running revision is re-checked

        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas()).isEqualTo(2);
        Revision running = store.get(Kinds.REVISION, null, first.commit().sha().substring(0, 12)).orElseThrow();
        assertThat(running.status().phase()).isEqualTo(Revision.APPLIED);
        assertThat(running.status().diagnostics()).anySatisfy(d -> assertThat(d).startsWith("error[E058] deploy/"
                + "shop.cap:2:1: denied by policy max-replicas").contains("at most 1"));
        assertThat(running.metadata().annotation(RevisionApplier.POLICY_STATUS))
                .contains("violates the policies now in force").contains("keep running");
        assertThat(store.list(Kinds.EVENT, null)).anySatisfy(ev -> {
            assertThat(ev.reason()).isEqualTo("PolicyViolation");
            assertThat(ev.message()).contains("max-replicas");
        });

        Files.writeString(tmp.resolve("app/deploy/shop.cap"), "namespace shop { }\n" + GitRepos.service("web", 3));
        commit(app, "scale to 3");
        SyncOutcome denied = watcher.syncOnce().orElseThrow();
        assertThat(denied.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(denied.diagnostics()).anyMatch(d -> d.contains("asks for 3 replicas; at most 1"));

        pushPolicy(maxReplicas(5), "back to 5");
        server.publish();
        SyncOutcome judgedAgain = watcher.syncOnce().orElseThrow(); // the rejected head passes the new policies
        assertThat(judgedAgain.result()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(judgedAgain.commit()).isEqualTo(denied.commit());
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas()).isEqualTo(3);
        watcher.close();
    }

    @Test
    void anUnreachablePolicyRepositoryKeepsTheLastPoliciesAndSaysSo() throws Exception {
        policies.refresh();
        GitWatcher watcher = watcher();
        assertThat(watcher.syncOnce().orElseThrow().result()).isEqualTo(SyncOutcome.Result.APPLIED);

        String url = server.url();
        server.close(); // the host is gone
        Files.writeString(tmp.resolve("app/deploy/shop.cap"), "namespace shop { }\n" + GitRepos.service("web", 9));
        commit(app, "scale to 9");
        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(o.diagnostics()).anyMatch(d -> d.contains("asks for 9 replicas; at most 5"));
        assertThat(policies.status()).startsWith("cannot fetch source 'policies' from " + url)
                .endsWith("the policies of " + policies.commitInForce().substring(0, 7) + " stay in force")
                .doesNotContain(TOKEN);
        Revision applied = new RevisionApplier(store, watcher.reader().source()).lastApplied().orElseThrow();
        assertThat(applied.metadata().annotation(RevisionApplier.POLICY_STATUS)).contains("cannot fetch")
                .contains("stay in force");
        watcher.close();
    }

    @Test
    void aPolicyCommitThatDoesNotCompileIsRejectedAndThePreviousPoliciesStay() throws Exception {
        policies.refresh();
        String good = policies.commitInForce();
        pushPolicy(maxReplicas(1).replace("service.replicas >", "service.replica >"), "typo");
        server.publish();

        long generation = policies.generation();
        policies.refresh();

        assertThat(policies.generation()).isEqualTo(generation);
        assertThat(policies.commitInForce()).isEqualTo(good);
        assertThat(policies.status()).contains("is rejected").contains("error[E056] rules/limits.cap:4:")
                .endsWith("the policies of " + good.substring(0, 7) + " stay in force");
        Files.writeString(tmp.resolve("app/deploy/shop.cap"), "namespace shop { }\n" + GitRepos.service("web", 9));
        commit(app, "scale to 9");
        SyncOutcome o = watcher().syncOnce().orElseThrow(); // still judged by the good policies (at most 5)
        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(o.diagnostics()).anyMatch(d -> d.contains("at most 5"));
    }

    @Test
    void noCommitIsAppliedBeforeAFirstGoodPolicyCommit() throws Exception {
        server.close();
        policies.refresh();
        assertThat(policies.commitInForce()).isNull();
        assertThatThrownBy(() -> watcher().syncOnce()).isInstanceOf(GitSyncException.class)
                .hasMessageContaining("no policies from the policy repository");
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web")).isEmpty();
    }

    @Test
    void anExceptionNamingNoObjectIsAWarningOnTheAppliedRevision() throws Exception {
        Files.writeString(tmp.resolve("policy-work/rules/exceptions.cap"), """
                exception big-web {
                  policy max-replicas
                  objects ["shop/web", "shop/wbe"]
                  reason "load test"
                }
                """);
        pushPolicy(maxReplicas(1), "exempt shop/web (and a typo)");
        server.publish();
        policies.refresh();

        SyncOutcome o = watcher().syncOnce().orElseThrow();

        assertThat(o.result()).as(o.rendered()).isEqualTo(SyncOutcome.Result.APPLIED); // web is exempt
        assertThat(o.diagnostics()).containsExactly("warning[W052] rules/exceptions.cap:1:1: exception big-web "
                + "names shop/wbe, which no object is");
        assertThat(store.get(Kinds.REVISION, null, o.commit().sha().substring(0, 12)).orElseThrow().status()
                .diagnostics()).anyMatch(d -> d.contains("W052"));
    }

    private void pushPolicy(String text, String message) throws Exception {
        Files.writeString(tmp.resolve("policy-work/rules/limits.cap"), text);
        commit(policyWork, message);
        policyWork.push().setRemote(bare.toUri().toString()).setForce(true)
                .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
    }

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().setUpdate(true).addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                .setSign(false).call().name();
    }
}
