package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
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
 * A remote source ({@code file://} to a bare repository, as a Git host has) followed through its mirror: new
 * commits, a revert, a force-push that rewrites history, a deleted branch and its return.
 */
class RemoteSourceTest {
    private static HazelcastStateStore store;

    @TempDir
    Path tmp;
    private Git work;
    private Path bare;
    private RemoteMirror mirror;
    private GitWatcher watcher;
    private final List<SyncOutcome> outcomes = new ArrayList<>();

    @BeforeAll
    static void startStore() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("remote-" + UUID.randomUUID())
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
        bare = tmp.resolve("host/shop.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        work = Git.init().setDirectory(tmp.resolve("work").toFile()).setInitialBranch("main").call();
        write("ns.cap", "namespace shop { }\n");
        write("web.cap", GitRepos.service("web", 2));
        commitAndPush("first");
        SourceSpec spec = SourceSpec.parse("shop=" + bare.toUri() + "#main:deploy");
        mirror = new RemoteMirror(spec, tmp.resolve("cache"), Map.of());
        mirror.fetch();
        GitSource source = mirror.source();
        watcher = new GitWatcher(new GitReader(source), new CapCompiler(), new RevisionApplier(store, source),
                Duration.ofHours(1), outcomes::add).fetchingWith(mirror::fetch);
    }

    @AfterEach
    void tearDown() {
        watcher.close();
        mirror.close();
        work.close();
    }

    @Test
    void followsCommitsAndARevertOnTheRemote() throws Exception {
        String first = watcher.syncOnce().orElseThrow().commit().sha();
        write("web.cap", GitRepos.service("web", 5));
        String scaled = commitAndPush("scale web to 5");

        SyncOutcome o = watcher.syncOnce().orElseThrow();
        assertThat(o.commit().sha()).isEqualTo(scaled);
        assertThat(replicas()).isEqualTo(5);

        work.revert().include(work.getRepository().resolve(scaled)).call();
        push(false);
        SyncOutcome reverted = watcher.syncOnce().orElseThrow();

        assertThat(reverted.result()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(reverted.commit().subject()).startsWith("Revert \"scale web to 5\"");
        assertThat(replicas()).isEqualTo(2);
        Revision r = store.get(Kinds.REVISION, null, "shop-" + reverted.commit().sha().substring(0, 12)).orElseThrow();
        assertThat(r.spec().repository()).isEqualTo(bare.toUri().toString());
        assertThat(r.spec().branch()).isEqualTo("main");
        assertThat(r.metadata().label(RevisionApplier.SOURCE_LABEL)).isEqualTo("shop");
        assertThat(store.get(Kinds.REVISION, null, "shop-" + first.substring(0, 12)).orElseThrow().status().phase())
                .isEqualTo(Revision.SUPERSEDED);
    }

    @Test
    void aForcePushIsFollowedAndRecorded() throws Exception {
        watcher.syncOnce();
        write("web.cap", GitRepos.service("web", 3));
        String doomed = commitAndPush("scale to 3");
        assertThat(watcher.syncOnce().orElseThrow().commit().sha()).isEqualTo(doomed);

        // Rewrite history: drop the last commit and push another in its place, with force.
        work.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef("HEAD~1").call();
        write("web.cap", GitRepos.service("web", 4));
        String rewritten = commit("scale to 4 instead");
        push(true);

        SyncOutcome o = watcher.syncOnce().orElseThrow();

        assertThat(o.commit().sha()).isEqualTo(rewritten);
        assertThat(o.result()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(replicas()).isEqualTo(4);
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().metadata().annotation(ObjectMeta.COMMIT))
                .isEqualTo(rewritten);
        assertThat(store.get(Kinds.REVISION, null, "shop-" + rewritten.substring(0, 12)).orElseThrow().status().phase())
                .isEqualTo(Revision.APPLIED);
        assertThat(store.get(Kinds.REVISION, null, "shop-" + doomed.substring(0, 12)).orElseThrow().status().phase())
                .as("the commit that is no longer on the branch").isEqualTo(Revision.SUPERSEDED);
    }

    @Test
    void aDeletedBranchKeepsTheLastGoodRevisionAndSaysSo() throws Exception {
        String good = watcher.syncOnce().orElseThrow().commit().sha();
        work.push().setRemote(bare.toUri().toString()).setRefSpecs(new RefSpec(":refs/heads/main")).call();

        assertThat(watcher.syncOnce()).isEmpty();

        assertThat(replicas()).isEqualTo(2);
        Revision applied = store.get(Kinds.REVISION, null, "shop-" + good.substring(0, 12)).orElseThrow();
        assertThat(applied.status().phase()).isEqualTo(Revision.APPLIED);
        assertThat(applied.metadata().annotation(RevisionApplier.SOURCE_STATUS))
                .isEqualTo("branch 'main' is gone from " + bare.toUri() + "; the cluster keeps running the last "
                        + "applied revision");

        push(false); // the branch comes back
        assertThat(watcher.syncOnce()).isEmpty(); // the same commit: nothing new to apply
        assertThat(store.get(Kinds.REVISION, null, "shop-" + good.substring(0, 12)).orElseThrow().metadata()
                .annotation(RevisionApplier.SOURCE_STATUS)).isNull();
    }

    private int replicas() {
        return store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas();
    }

    private void write(String name, String text) throws Exception {
        Path f = work.getRepository().getWorkTree().toPath().resolve("deploy").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private String commit(String message) throws Exception {
        work.add().addFilepattern(".").call();
        return work.commit().setMessage(message).setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                .setSign(false).call().name();
    }

    private String commitAndPush(String message) throws Exception {
        String sha = commit(message);
        push(false);
        return sha;
    }

    private void push(boolean force) throws Exception {
        work.push().setRemote(bare.toUri().toString()).setForce(force)
                .setRefSpecs(new RefSpec((force ? "+" : "") + "refs/heads/main:refs/heads/main")).call();
    }
}
