package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
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

class GitWatcherTest {
    private static HazelcastStateStore store;

    @TempDir
    Path repo;
    private Git git;
    private Path app;
    private GitWatcher watcher;
    private final List<SyncOutcome> outcomes = new ArrayList<>();

    @BeforeAll
    static void startStore() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("git-sync-" + UUID.randomUUID())
                .withBackupCount(0));
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        for (var k : Kinds.ALL) { // each test starts from an empty cluster
            for (var o : store.list(k, null)) {
                store.delete(k, o.metadata().namespace(), o.metadata().name(), null);
            }
        }
        git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        app = repo.resolve("deploy");
        Files.createDirectories(app);
        Files.writeString(repo.resolve("README"), "not followed\n");
        write("ns.cap", "namespace shop { }\n");
        write("web.cap", service("web", 2));
        commit("first");
        GitSource source = GitSource.discover(app);
        watcher = new GitWatcher(new GitReader(source), new CapCompiler(), new RevisionApplier(store, source),
                Duration.ofSeconds(30), outcomes::add);
    }

    private static String service(String name, int replicas) {
        return "service " + name + " in shop {\n  image \"capstan.local/busybox:1.35\"\n  replicas " + replicas
                + "\n  port http 8080 expose 80\n}\n";
    }

    @Test
    void discoversTheRepositoryBranchAndPath() throws Exception {
        GitSource s = GitSource.discover(app);
        assertThat(s.repoRoot()).isEqualTo(repo.toRealPath());
        assertThat(s.path()).isEqualTo("deploy");
        assertThat(s.ref()).isEqualTo("refs/heads/main");
    }

    @Test
    void appliesACommitWholeWithItsCommitAndSource() throws Exception {
        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(o.report().created()).containsExactlyInAnyOrder("Namespace shop", "Deployment shop/web",
                "Service shop/web");
        Deployment web = store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow();
        assertThat(web.spec().replicas()).isEqualTo(2);
        assertThat(web.metadata().annotation(ObjectMeta.COMMIT)).isEqualTo(o.commit().sha());
        assertThat(web.metadata().annotation(ObjectMeta.SOURCE)).startsWith("deploy/web.cap:1");
        assertThat(store.get(Kinds.REVISION, null, o.commit().sha().substring(0, 12)).orElseThrow().status().phase())
                .isEqualTo(Revision.APPLIED);
        assertThat(watcher.syncOnce()).as("nothing new").isEmpty();
    }

    @Test
    void updatesOnlyWhatChangedAndSupersedesThePreviousRevision() throws Exception {
        String first = watcher.syncOnce().orElseThrow().commit().sha();
        write("web.cap", service("web", 4));
        commit("scale");

        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.report().updated()).containsExactly("Deployment shop/web");
        assertThat(o.report().unchanged()).isEqualTo(2);
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas()).isEqualTo(4);
        assertThat(store.get(Kinds.REVISION, null, first.substring(0, 12)).orElseThrow().status().phase())
                .isEqualTo(Revision.SUPERSEDED);
    }

    @Test
    void rejectsABrokenCommitAndKeepsTheLastGoodRevision() throws Exception {
        watcher.syncOnce();
        write("web.cap", service("web", 4).replace("replicas 4", "replicas four"));
        String bad = commit("broken");

        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(o.diagnostics()).anyMatch(d -> d.contains("deploy/web.cap:3:"));
        assertThat(o.rendered()).contains("replicas four").contains("^");
        Revision r = store.get(Kinds.REVISION, null, bad.substring(0, 12)).orElseThrow();
        assertThat(r.status().phase()).isEqualTo(Revision.REJECTED);
        assertThat(r.spec().message()).isEqualTo("broken");
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas()).isEqualTo(2);
    }

    @Test
    void aClusterStartingOnABrokenHeadRunsTheLastCommitThatCompiles() throws Exception {
        String good = git.log().call().iterator().next().name(); // "first", never synced
        write("web.cap", service("web", 3).replace("replicas 3", "replicas three"));
        String bad = commit("broken before anyone synced");

        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(outcomes).extracting(x -> x.commit().sha(), SyncOutcome::result).containsExactly(
                org.assertj.core.groups.Tuple.tuple(bad, SyncOutcome.Result.REJECTED),
                org.assertj.core.groups.Tuple.tuple(good, SyncOutcome.Result.APPLIED));
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas()).isEqualTo(2);
    }

    @Test
    void prunesWhatGitNoLongerHas() throws Exception {
        write("api.cap", service("api", 1));
        commit("add api");
        watcher.syncOnce();
        Files.delete(app.resolve("api.cap"));
        commit("remove api");

        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.report().deleted()).containsExactlyInAnyOrder("Deployment shop/api", "Service shop/api");
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "api")).isEmpty();
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web")).isPresent();
    }

    @Test
    void appliesAndPrunesJobsAndDaemons() throws Exception {
        write("work.cap", "job migrate in shop {\n  image \"capstan.local/busybox:1.35\"\n  completions 2\n}\n"
                + "daemon agent in shop {\n  image \"capstan.local/busybox:1.35\"\n}\n");
        commit("add a job and a daemon");
        SyncOutcome added = watcher.syncOnce().orElseThrow();
        assertThat(added.report().created()).contains("Job shop/migrate", "DaemonSet shop/agent");
        assertThat(store.get(Kinds.JOB, "shop", "migrate").orElseThrow().spec().completions()).isEqualTo(2);

        Files.delete(app.resolve("work.cap"));
        commit("remove them");
        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.report().deleted()).containsExactlyInAnyOrder("Job shop/migrate", "DaemonSet shop/agent");
        assertThat(store.get(Kinds.DAEMON_SET, "shop", "agent")).isEmpty();
    }

    @Test
    void readsTheCommitNotTheWorkTree() throws Exception {
        write("web.cap", "this is not committed {");

        assertThat(watcher.syncOnce().orElseThrow().result()).isEqualTo(SyncOutcome.Result.APPLIED);
    }

    @Test
    void refusesACommitThatRemovesEveryFile() throws Exception {
        watcher.syncOnce();
        git.rm().addFilepattern("deploy").call();
        commit("remove all");

        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(o.diagnostics().get(0)).contains("no .cap files in deploy");
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web")).isPresent();
    }

    @Test
    void saysWhenADirectoryIsNotInARepository(@TempDir Path elsewhere) {
        assertThatThrownBy(() -> GitSource.discover(elsewhere)).isInstanceOf(GitSyncException.class)
                .hasMessageContaining("is not inside a Git repository");
    }

    private void write(String name, String text) throws Exception {
        Files.writeString(app.resolve(name), text);
    }

    private String commit(String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().setUpdate(true).addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                .setSign(false).call().name();
    }
}
