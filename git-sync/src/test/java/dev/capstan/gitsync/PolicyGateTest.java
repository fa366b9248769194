package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission in git-sync, on real repositories: policies in the followed path, in a directory, in another repo. */
class PolicyGateTest {
    private static final String MAX_REPLICAS = """
            policy max-replicas {
              applies-to service
              params { max = 5 }
              deny if service.replicas > params.max
                message "service ${service.name} asks for ${service.replicas} replicas; at most ${params.max}"
            }
            """;
    private static HazelcastStateStore store;

    @TempDir
    Path repo;
    private Git git;
    private final List<SyncOutcome> outcomes = new ArrayList<>();

    @BeforeAll
    static void startStore() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("policy-" + UUID.randomUUID())
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
        git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        Files.createDirectories(repo.resolve("deploy"));
        Files.createDirectories(repo.resolve("policies"));
        write("deploy/ns.cap", "namespace shop { }\n");
        write("deploy/web.cap", service(2));
    }

    private static String service(int replicas) {
        return "service web in shop {\n  image \"capstan.local/busybox:1.35\"\n  replicas " + replicas + "\n}\n";
    }

    private GitWatcher watcher(PolicyGate gate) throws Exception {
        GitSource source = GitSource.discover(repo.resolve("deploy"));
        return new GitWatcher(new GitReader(source), new CapCompiler(), new RevisionApplier(store, source), gate,
                Duration.ofSeconds(30), outcomes::add);
    }

    @Test
    void rejectsACommitAnEnforcePolicyDeniesAndKeepsThePreviousRevision() throws Exception {
        write("policies/limits.cap", MAX_REPLICAS);
        commit("first");
        GitSource source = GitSource.discover(repo.resolve("deploy"));
        PolicyGate gate = new PolicyGate(List.of(PolicyGate.sameRepository(source, "policies")));
        GitWatcher watcher = watcher(gate);
        assertThat(gate.lastApplied()).isNull();
        assertThat(watcher.syncOnce().orElseThrow().result()).isEqualTo(SyncOutcome.Result.APPLIED);
        var applied = gate.lastApplied();
        assertThat(applied.policies()).containsExactly("max-replicas"); // for pods written through the API

        write("deploy/web.cap", service(9));
        String bad = commit("scale too far");
        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(o.diagnostics()).anySatisfy(d -> assertThat(d).startsWith("error[E058] deploy/web.cap:1:1: denied by "
                + "policy max-replicas: service shop/web: service web asks for 9 replicas; at most 5"));
        assertThat(o.rendered()).contains("policies/limits.cap:4:3");
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas()).isEqualTo(2);
        assertThat(gate.lastApplied()).isSameAs(applied); // a rejected commit's policies do not take over
        Revision rejected = store.get(Kinds.REVISION, null, bad.substring(0, 12)).orElseThrow();
        assertThat(rejected.status().phase()).isEqualTo(Revision.REJECTED);
        assertThat(rejected.status().diagnostics()).anyMatch(d -> d.contains("E058"));
    }

    @Test
    void appliesAndReportsWhatAWarnPolicyFlags() throws Exception {
        write("deploy/policy.cap", MAX_REPLICAS.replace("applies-to service", "applies-to service  mode warn"));
        write("deploy/web.cap", service(9));
        String sha = commit("warned");

        SyncOutcome o = watcher(PolicyGate.NONE).syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(o.diagnostics()).singleElement().asString().startsWith("warning[W050] deploy/web.cap:1:1");
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas()).isEqualTo(9);
        assertThat(store.get(Kinds.REVISION, null, sha.substring(0, 12)).orElseThrow().status().diagnostics())
                .singleElement().asString().contains("W050");
    }

    @Test
    void readsPoliciesFromASeparateRepositoryAtItsHead(@TempDir Path policyRepo) throws Exception {
        Git policies = Git.init().setDirectory(policyRepo.toFile()).setInitialBranch("main").call();
        Files.createDirectories(policyRepo.resolve("rules"));
        Files.writeString(policyRepo.resolve("rules/limits.cap"), MAX_REPLICAS.replace("max = 5", "max = 1"));
        policies.add().addFilepattern(".").call();
        policies.commit().setMessage("p").setAuthor("P", "p@example.com").setCommitter("P", "p@example.com")
                .setSign(false).call();
        commit("first");

        GitWatcher watcher = watcher(new PolicyGate(List.of(PolicyGate.otherRepository(
                GitSource.discover(policyRepo.resolve("rules"))))));
        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(o.diagnostics()).anyMatch(d -> d.contains("at most 1"));
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web")).isEmpty();
    }

    @Test
    void rejectsACommitWhosePolicyDoesNotTypeCheck() throws Exception {
        write("deploy/policy.cap", "policy p { applies-to service  deny if service.replica > 1 }\n");
        commit("typo");

        SyncOutcome o = watcher(PolicyGate.NONE).syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(o.diagnostics()).singleElement().asString().startsWith("error[E056] deploy/policy.cap:1:");
    }

    private void write(String name, String text) throws Exception {
        Files.writeString(repo.resolve(name), text);
    }

    private String commit(String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().setUpdate(true).addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                .setSign(false).call().name();
    }
}
