package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.SourceFile;
import dev.capstan.engine.controller.ControllerRunner;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.RunnerConfig;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Objects of the applied revision changed or deleted out of band are put back, with an event. */
class DriftControllerTest {
    private static final String SHA = "abcdef0123456789abcdef0123456789abcdef01";

    private HazelcastStateStore store;
    private RevisionApplier applier;
    private ControllerRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("drift-" + UUID.randomUUID())
                .withBackupCount(0));
        applier = new RevisionApplier(store, new GitSource(Path.of("/srv/repo"), "", "refs/heads/main"));
        CompileResult compiled = new CapCompiler().compile(List.of(new SourceFile("shop.cap",
                "namespace shop { }\n\nservice web in shop {\n  image \"capstan.local/busybox:1.35\"\n"
                        + "  replicas 2\n  port http 8080 expose 80\n}\n")));
        assertThat(compiled.ok()).as(compiled.diagnostics().toString()).isTrue();
        applier.apply(new Commit(SHA, "T <t@example.com>", "shop", Instant.now(), "tree"), compiled.objects());
        runner = new ControllerRunner(store, new DriftController(applier, new EventRecorder(store, "git-sync")),
                RunnerConfig.defaults().withWorkers(1)).start();
    }

    @AfterEach
    void tearDown() {
        runner.close();
        store.close();
    }

    @Test
    void aChangedDeploymentIsRestoredWithAnEvent() {
        Deployment live = store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow();
        store.update(new Deployment(live.metadata(), new Deployment.Spec(5, live.spec().selector(),
                live.spec().template(), live.spec().strategy()), live.status()));

        await().atMost(Duration.ofSeconds(10)).until(() ->
                store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().spec().replicas() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> !store.list(Kinds.EVENT, "shop").isEmpty());
        assertThat(store.list(Kinds.EVENT, "shop")).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(DriftController.REASON);
            assertThat(e.message()).isEqualTo("Deployment shop/web was changed outside Git; restored from revision abcdef0");
        });
    }

    @Test
    void aDeletedServiceIsRecreatedAndForeignObjectsAreLeftAlone() {
        Deployment web = store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow();
        store.create(new Deployment(ObjectMeta.of("shop", "handmade").withLabels(Map.of("app", "handmade")),
                web.spec(), null));
        assertThat(store.delete(Kinds.SERVICE, "shop", "web", null)).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> store.get(Kinds.SERVICE, "shop", "web").isPresent());
        await().atMost(Duration.ofSeconds(5)).until(() -> store.list(Kinds.EVENT, "shop").stream()
                .anyMatch(e -> e.message().equals("Service shop/web was deleted outside Git; restored from revision abcdef0")));
        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "handmade")).isPresent();
        assertThat(applier.isDesired("Deployment shop/handmade")).isFalse();
        assertThat(applier.desiredIds()).contains("Namespace shop", "Deployment shop/web", "Service shop/web");
    }

    @Test
    void anUnchangedRevisionCausesNoWritesOrEvents() throws Exception {
        String rv = store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().metadata().resourceVersion();
        Thread.sleep(1500); // the runner reconciles every key at start

        assertThat(store.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow().metadata().resourceVersion()).isEqualTo(rv);
        assertThat(store.list(Kinds.EVENT, "shop")).isEmpty();
    }
}
