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
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two sources side by side: each prunes only its own objects; an object both declare is an error at both places. */
class SeveralSourcesTest {
    private static HazelcastStateStore store;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startStore() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("several-" + UUID.randomUUID())
                .withBackupCount(0));
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @Test
    void sourcesLiveSideBySideAndACollisionIsRejectedNamingBothPlaces() throws Exception {
        Git a = repo("a", "namespace shop { }\n" + GitRepos.service("web", 2));
        Git b = repo("b", "namespace shop { }\n" + GitRepos.service("api", 1)); // a namespace may be shared
        GitWatcher wa = watcher("a");
        GitWatcher wb = watcher("b");

        assertThat(wa.syncOnce().orElseThrow().result()).isEqualTo(SyncOutcome.Result.APPLIED);
        SyncOutcome first = wb.syncOnce().orElseThrow();
        assertThat(first.result()).as(first.diagnostics().toString()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().metadata()
                .label(RevisionApplier.SOURCE_LABEL)).isEqualTo("a");
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "api").orElseThrow().metadata()
                .label(RevisionApplier.SOURCE_LABEL)).isEqualTo("b");

        // b now also declares web: rejected, with b's location and a's.
        Files.writeString(tmp.resolve("b/web.cap"), GitRepos.service("web", 9));
        String clash = commit(b, "b takes web too");
        SyncOutcome o = wb.syncOnce().orElseThrow();

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(o.diagnostics()).anySatisfy(d -> assertThat(d)
                .startsWith("error[E070] b:web.cap:1:")
                .contains("Deployment shop/web is also declared by source 'a' at a:shop.cap:"));
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas()).isEqualTo(2);
        assertThat(store.get(Kinds.REVISION, null, "b-" + clash.substring(0, 12)).orElseThrow().status().phase())
                .isEqualTo(Revision.REJECTED);

        // a prunes its own objects only: removing web from a leaves b's api alone.
        Files.writeString(tmp.resolve("a/shop.cap"), "namespace shop { }\n");
        commit(a, "drop web");
        assertThat(wa.syncOnce().orElseThrow().report().deleted()).containsExactlyInAnyOrder("Deployment shop/web",
                "Service shop/web");
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "api")).isPresent();

        // a let web go: b's rejected commit is applied at its next sync, without a new commit.
        SyncOutcome retried = wb.syncOnce().orElseThrow();
        assertThat(retried.commit().sha()).isEqualTo(clash);
        assertThat(retried.result()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas()).isEqualTo(9);
        assertThat(store.get(Kinds.REVISION, null, "b-" + clash.substring(0, 12)).orElseThrow().status().phase())
                .isEqualTo(Revision.APPLIED);
        assertThat(wb.syncOnce()).isEmpty();
        wa.close();
        wb.close();
    }

    @Test
    void aCommitToALocalRepositoryIsSeenWithoutPolling() throws Exception {
        Git c = repo("c", "namespace watch { }\n");
        GitSource source = GitSource.discover(tmp.resolve("c")).named("c");
        CountDownLatch changed = new CountDownLatch(1);
        try (RefWatcher refs = RefWatcher.start(source, changed::countDown)) {
            assertThat(refs).as("inotify works here").isNotNull();
            Files.writeString(tmp.resolve("c/more.cap"), "namespace more { }\n");
            commit(c, "another");
            assertThat(changed.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private GitWatcher watcher(String name) throws Exception {
        GitSource source = GitSource.discover(tmp.resolve(name)).named(name);
        return new GitWatcher(new GitReader(source), new CapCompiler(), new RevisionApplier(store, source),
                Duration.ofHours(1), o -> { });
    }

    private Git repo(String name, String text) throws Exception {
        Git git = Git.init().setDirectory(tmp.resolve(name).toFile()).setInitialBranch("main").call();
        Files.writeString(tmp.resolve(name).resolve(name.equals("b") ? "api.cap" : "shop.cap"), text);
        commit(git, "first");
        return git;
    }

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                .setSign(false).call().name();
    }
}
