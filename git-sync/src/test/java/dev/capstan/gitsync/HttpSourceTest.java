package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.capstan.dsl.CapCompiler;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Json;
import dev.capstan.model.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.slf4j.LoggerFactory;

/** A source behind HTTP with a password: fetched with credentials from a file or the environment, never shown. */
class HttpSourceTest {
    private static final String TOKEN = "tok-3f9a7c1e55d2";
    private static HazelcastStateStore store;

    @TempDir
    Path tmp;
    private DumbHttpGitServer server;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void startStore() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("http-" + UUID.randomUUID())
                .withBackupCount(0));
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        Path bare = tmp.resolve("host/shop.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        try (Git work = Git.init().setDirectory(tmp.resolve("work").toFile()).setInitialBranch("main").call()) {
            Path dir = tmp.resolve("work/deploy");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("shop.cap"), "namespace shop { }\n" + GitRepos.service("web", 2));
            work.add().addFilepattern(".").call();
            work.commit().setMessage("first").setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                    .setSign(false).call();
            work.push().setRemote(bare.toUri().toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
                    .call();
        }
        server = new DumbHttpGitServer(bare, "capstan", TOKEN);
        server.publish();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        server.close();
    }

    @Test
    void fetchesWithATokenFromAFileAndAppliesTheBranch() throws Exception {
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        SourceSpec spec = new SourceSpec("shop", server.url(), "main", "deploy", null,
                new SourceAuth("capstan", tokenFile, null, null, null));

        SyncOutcome o = follow(spec, Map.of());

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas()).isEqualTo(2);
        String revision = Json.write(store.get(Kinds.REVISION, null, "shop-" + o.commit().sha().substring(0, 12))
                .orElseThrow());
        assertThat(revision).contains(server.url()).doesNotContain(TOKEN);
        assertThat(spec.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aTokenFromTheEnvironmentWorksAndTheDefaultBranchIsLearned() throws Exception {
        SourceSpec spec = new SourceSpec("shop", server.url(), null, "deploy", null,
                new SourceAuth("capstan", null, "SHOP_TOKEN", null, null));

        SyncOutcome o = follow(spec, Map.of("SHOP_TOKEN", TOKEN));

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.APPLIED);
    }

    @Test
    void aWrongTokenIsRefusedAndNeverShown() throws Exception {
        String wrong = "wrong-9d8e7f6a5b4c";
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, wrong);
        SourceSpec spec = new SourceSpec("shop", server.url(), "main", "deploy", null,
                new SourceAuth("capstan", tokenFile, null, null, null));
        RemoteMirror mirror = new RemoteMirror(spec, tmp.resolve("cache"), Map.of());

        assertThatThrownBy(mirror::fetch).isInstanceOf(GitSyncException.class)
                .hasMessageStartingWith("cannot fetch source 'shop' from " + server.url() + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain(TOKEN));
        assertThat(server.refused()).isPositive();
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(wrong));
    }

    @Test
    void credentialsWrittenIntoTheUrlWorkButAreNeverShown() throws Exception {
        String url = server.url().replace("http://", "http://capstan:" + TOKEN + "@");
        SourceSpec spec = SourceSpec.parse("shop=" + url + "#main:deploy");

        SyncOutcome o = follow(spec, Map.of());

        assertThat(o.result()).isEqualTo(SyncOutcome.Result.APPLIED);
        assertThat(spec.toString()).doesNotContain(TOKEN);
        assertThat(spec.displayUrl()).isEqualTo(server.url());
        assertThat(Json.write(store.list(Kinds.REVISION, null))).doesNotContain(TOKEN);
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(TOKEN));
    }

    private SyncOutcome follow(SourceSpec spec, Map<String, String> env) throws Exception {
        for (var r : store.list(Kinds.REVISION, null)) {
            store.delete(Kinds.REVISION, null, r.metadata().name(), null);
        }
        try (RemoteMirror mirror = new RemoteMirror(spec, tmp.resolve("cache-" + UUID.randomUUID()), env)) {
            mirror.fetch();
            GitSource source = mirror.source();
            try (GitWatcher w = new GitWatcher(new GitReader(source), new CapCompiler(),
                    new RevisionApplier(store, source), Duration.ofHours(1), o -> { }).fetchingWith(mirror::fetch)) {
                return w.syncOnce().orElseThrow();
            }
        }
    }
}
