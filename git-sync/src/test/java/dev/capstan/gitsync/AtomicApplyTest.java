package dev.capstan.gitsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.SourceFile;
import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.ControllerRunner;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.controller.RunnerConfig;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.ReconcileGate;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.engine.store.StoreWrite;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchListener;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Revision;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A commit is applied whole or not at all, and controllers never see half of one. */
class AtomicApplyTest {
    private static final int SERVICES = 30;
    private static HazelcastStateStore store;

    @BeforeAll
    static void startStore() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("atomic-" + UUID.randomUUID())
                .withBackupCount(0));
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void empty() {
        for (var k : Kinds.ALL) {
            for (var o : store.list(k, null)) {
                store.delete(k, o.metadata().namespace(), o.metadata().name(), null);
            }
        }
    }

    /** Every service with the same replicas; each commit changes all of them. */
    private static List<KubeObject> revision(int replicas) {
        StringBuilder src = new StringBuilder("namespace shop { }\n");
        for (int i = 0; i < SERVICES; i++) {
            src.append("service s").append(i).append(" in shop {\n  image \"capstan.local/busybox:1.35\"\n  replicas ")
                    .append(replicas).append("\n  port http 8080\n}\n");
        }
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("shop.cap", src.toString())));
        assertThat(r.ok()).as(r.diagnostics().toString()).isTrue();
        return r.objects();
    }

    private static Commit commit(int n) {
        String sha = String.format("%02d", n).repeat(20);
        return new Commit(sha, "T <t@example.com>", "commit " + n, Instant.now(), "tree" + n);
    }

    @Test
    void aControllerNeverSeesPartOfARevision() throws Exception {
        RevisionApplier applier = new RevisionApplier(store, new GitSource(Path.of("/srv/repo"), "", "refs/heads/main"));
        applier.apply(commit(1), revision(1));
        ConcurrentLinkedQueue<String> mixed = new ConcurrentLinkedQueue<>();
        AtomicInteger looks = new AtomicInteger();
        Controller observer = new Controller() { // lists every Deployment on each event: what one commit made them
            @Override
            public String name() {
                return "observer";
            }

            @Override
            public void watches(Watches w) {
                w.on(Kinds.DEPLOYMENT, e -> List.of(e.object().metadata().name()));
            }

            @Override
            public Collection<String> resyncKeys() {
                return List.of();
            }

            @Override
            public Result reconcile(String key) {
                Set<String> seen = store.list(Kinds.DEPLOYMENT, "shop").stream()
                        .map(d -> d.metadata().annotation(ObjectMeta.COMMIT) + "/" + d.spec().replicas())
                        .collect(Collectors.toCollection(TreeSet::new));
                looks.incrementAndGet();
                if (seen.size() != 1) {
                    mixed.add(seen.toString());
                }
                return Result.done();
            }
        };
        try (ControllerRunner runner = new ControllerRunner(store, observer, RunnerConfig.defaults().withWorkers(3))
                .start()) {
            for (int n = 2; n <= 9; n++) {
                ApplyReport report = applier.apply(commit(n), revision(n % 2 == 0 ? 2 : 1));
                assertThat(report.updated()).hasSize(SERVICES);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> runner.queue().length() == 0 && looks.get() >= 8 * 2);
        }
        assertThat(mixed).as("states seen that mix two commits").isEmpty();
        assertThat(store.list(Kinds.DEPLOYMENT, "shop")).allSatisfy(d -> {
            assertThat(d.spec().replicas()).isEqualTo(1);
            assertThat(d.metadata().annotation(ObjectMeta.COMMIT)).isEqualTo(commit(9).sha());
        });
    }

    @Test
    void aFailureDuringTheApplyLeavesThePreviousRevisionRunning() throws Exception {
        GitSource source = new GitSource(Path.of("/srv/repo"), "", "refs/heads/main");
        new RevisionApplier(store, source).apply(commit(1), revision(1));
        // A writer that always changes the 17th Deployment just before the batch lands: the batch conflicts every time.
        StateStore meddling = new Meddler(store, "s17");
        RevisionApplier applier = new RevisionApplier(meddling, source);

        assertThatThrownBy(() -> applier.apply(commit(2), revision(2))).isInstanceOf(ConflictException.class);

        assertThat(store.list(Kinds.DEPLOYMENT, "shop")).hasSize(SERVICES).allSatisfy(d -> {
            assertThat(d.spec().replicas()).isEqualTo(1);
            assertThat(d.metadata().annotation(ObjectMeta.COMMIT)).isEqualTo(commit(1).sha());
        });
        assertThat(store.get(Kinds.REVISION, null, commit(2).sha().substring(0, 12))).isEmpty();
        assertThat(store.get(Kinds.REVISION, null, commit(1).sha().substring(0, 12)).orElseThrow().status().phase())
                .isEqualTo(Revision.APPLIED);
    }

    /** Delegates to the real store, but touches one Deployment right before every batch. */
    private static final class Meddler implements StateStore {
        private final StateStore real;
        private final String victim;

        Meddler(StateStore real, String victim) {
            this.real = real;
            this.victim = victim;
        }

        @Override
        public List<KubeObject> commit(List<StoreWrite> writes) {
            Deployment d = real.get(Kinds.DEPLOYMENT, "shop", victim).orElseThrow();
            real.update(d.withMetadata(d.metadata().withLabel("touched", d.metadata().resourceVersion())));
            return real.commit(writes);
        }

        @Override
        public ReconcileGate gate() {
            return real.gate();
        }

        @Override
        public <T extends KubeObject> Optional<T> get(Kind<T> kind, String namespace, String name) {
            return real.get(kind, namespace, name);
        }

        @Override
        public <T extends KubeObject> List<T> list(Kind<T> kind, String namespace) {
            return real.list(kind, namespace);
        }

        @Override
        public <T extends KubeObject> T create(T object) {
            return real.create(object);
        }

        @Override
        public <T extends KubeObject> T update(T object) {
            return real.update(object);
        }

        @Override
        public <T extends KubeObject> boolean delete(Kind<T> kind, String namespace, String name, String rv) {
            return real.delete(kind, namespace, name, rv);
        }

        @Override
        public <T extends KubeObject> Watch watch(Kind<T> kind, WatchListener<T> listener) {
            return real.watch(kind, listener);
        }

        @Override
        public String resourceVersion() {
            return real.resourceVersion();
        }

        @Override
        public void close() {
        }
    }
}
