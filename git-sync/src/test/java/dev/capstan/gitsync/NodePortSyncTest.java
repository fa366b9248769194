package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.builtin.NodePortAllocator;
import dev.capstan.engine.controller.builtin.NodePortRange;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Kinds;
import dev.capstan.model.Revision;
import dev.capstan.model.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node-port auto} from Git: the number the control plane allocates survives re-applies, changes and drift
 * correction, and a commit that writes a number another service holds is rejected naming both.
 */
class NodePortSyncTest {
    private static HazelcastStateStore store;

    @TempDir
    Path repo;

    @BeforeAll
    static void startStore() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("node-ports-" + UUID.randomUUID())
                .withBackupCount(0));
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    private static String service(String name, int replicas, String nodePort, String extra) {
        return "service " + name + " in shop {\n  image \"capstan.local/busybox:1.35\"\n  replicas " + replicas
                + "\n  port http 8080 expose 80 node-port " + nodePort + "\n" + extra + "}\n";
    }

    private int nodePort(String name) {
        return store.get(Kinds.SERVICE, "shop", name).orElseThrow().spec().ports().get(0).nodePort();
    }

    @Test
    void anAllocatedNodePortStaysThroughReappliesAndATakenOneRejectsTheCommit() throws Exception {
        Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        Files.writeString(repo.resolve("ns.cap"), "namespace shop { }\n");
        Files.writeString(repo.resolve("web.cap"), service("web", 1, "auto", ""));
        commit(git, "web with a node port");
        GitSource source = GitSource.discover(repo);
        RevisionApplier applier = new RevisionApplier(store, source);
        List<SyncOutcome> outcomes = new ArrayList<>();
        GitWatcher watcher = new GitWatcher(new GitReader(source), new CapCompiler(), applier, Duration.ofSeconds(30),
                outcomes::add);
        NodePortAllocator allocator = new NodePortAllocator(store, new EventRecorder(store,
                NodePortAllocator.COMPONENT), NodePortRange.parse("30000-30009"));

        assertThat(watcher.syncOnce().orElseThrow().result()).isEqualTo(SyncOutcome.Result.APPLIED);
        Service applied = store.get(Kinds.SERVICE, "shop", "web").orElseThrow();
        assertThat(applied.spec().type()).isEqualTo("NodePort");
        assertThat(applied.spec().ports().get(0).nodePort()).isNull();
        allocator.reconcile("shop/web");
        int port = nodePort("web");
        String rv = store.get(Kinds.SERVICE, "shop", "web").orElseThrow().metadata().resourceVersion();

        // a commit that does not touch the service leaves it alone
        Files.writeString(repo.resolve("web.cap"), service("web", 3, "auto", ""));
        commit(git, "scale");
        SyncOutcome scaled = watcher.syncOnce().orElseThrow();
        assertThat(scaled.report().updated()).containsExactly("Deployment shop/web");
        assertThat(store.get(Kinds.SERVICE, "shop", "web").orElseThrow().metadata().resourceVersion()).isEqualTo(rv);

        // one that changes it keeps the number; drift correction does not take it away either
        Files.writeString(repo.resolve("web.cap"), service("web", 3, "auto", "  labels { tier = \"front\" }\n"));
        commit(git, "label");
        SyncOutcome labelled = watcher.syncOnce().orElseThrow();
        assertThat(labelled.report().updated()).contains("Service shop/web");
        assertThat(nodePort("web")).isEqualTo(port);
        assertThat(applier.restore("Service shop/web")).isEmpty();

        // a restarted git-sync compares with the store from scratch: still the same number, nothing written
        RevisionApplier restarted = new RevisionApplier(store, source);
        Files.writeString(repo.resolve("web.cap"), service("web", 2, "auto", "  labels { tier = \"front\" }\n"));
        String scaleAgain = commit(git, "scale again");
        ApplyReport report = restarted.apply(new GitReader(source).head().orElseThrow(), new CapCompiler()
                .compile(new GitReader(source).sources(scaleAgain)).objects());
        assertThat(report.updated()).containsExactly("Deployment shop/web");
        assertThat(nodePort("web")).isEqualTo(port);

        // another service asking for web's number: the commit is rejected, naming both
        Files.writeString(repo.resolve("api.cap"), service("api", 1, Integer.toString(port), ""));
        String taken = commit(git, "api on web's port");
        SyncOutcome rejected = new GitWatcher(new GitReader(source), new CapCompiler(), restarted,
                Duration.ofSeconds(30), outcomes::add).syncOnce().orElseThrow();
        assertThat(rejected.result()).isEqualTo(SyncOutcome.Result.REJECTED);
        assertThat(rejected.diagnostics()).containsExactly("error[E065] " + source.name() + ":api.cap:1: node port "
                + port + " of service shop/api is already allocated to service shop/web (" + source.name()
                + ":web.cap:1); give one of them another node port, or write node-port auto");
        assertThat(store.get(Kinds.SERVICE, "shop", "api")).isEmpty();
        assertThat(store.get(Kinds.REVISION, null, restarted.revisionName(rejected.commit())).orElseThrow()
                .status().phase()).isEqualTo(Revision.REJECTED);
        assertThat(rejected.commit().sha()).isEqualTo(taken);

        // once web is gone in the same commit, api can have the number
        Files.delete(repo.resolve("web.cap"));
        commit(git, "web goes, api takes its port");
        SyncOutcome moved = new GitWatcher(new GitReader(source), new CapCompiler(), restarted,
                Duration.ofSeconds(30), outcomes::add).syncOnce().orElseThrow();
        assertThat(moved.result()).as(moved.diagnostics().toString()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(nodePort("api")).isEqualTo(port);
        assertThat(store.get(Kinds.SERVICE, "shop", "web")).isEmpty();
    }

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        git.add().setUpdate(true).addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                .setSign(false).call().name();
    }
}
