package dev.capstan.engine.controller.builtin;

import static dev.capstan.engine.controller.builtin.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.engine.controller.ControllerRunner;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.controller.RunnerConfig;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Condition;
import dev.capstan.model.Deployment;
import dev.capstan.model.Event;
import dev.capstan.model.Kinds;
import dev.capstan.model.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Revision history, the progress deadline and proportional scaling of {@link DeploymentController}. */
class DeploymentRolloutTest {
    private static final AtomicInteger N = new AtomicInteger();
    private static HazelcastStateStore store;
    private String ns;
    private Fixtures.MutableClock clock;
    private DeploymentController controller;

    @BeforeAll
    static void startMember() {
        store = TestStores.start();
    }

    @AfterAll
    static void stopMember() {
        store.close();
    }

    @BeforeEach
    void setUp() {
        ns = "roll" + N.incrementAndGet();
        clock = new Fixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        controller = new DeploymentController(store, new EventRecorder(store, DeploymentController.COMPONENT, clock),
                clock);
    }

    private Result reconcile() {
        return controller.reconcile(ns + "/web");
    }

    private Deployment current() {
        return store.get(Kinds.DEPLOYMENT, ns, "web").orElseThrow();
    }

    private void change(UnaryOperator<Deployment.Spec> f) {
        Deployment d = current();
        store.update(d.withSpec(f.apply(d.spec())));
    }

    private static Deployment.Spec image(Deployment.Spec s, String image) {
        return new Deployment.Spec(s.replicas(), s.selector(), Fixtures.template("web", image), s.strategy(),
                s.progressDeadlineSeconds(), s.revisionHistoryLimit());
    }

    /** Plays the ReplicaSet controller: every set has its pods; those of the sets named ready are ready. */
    private void podsCreated(boolean oldReady, boolean newReady) {
        String hash = TemplateHash.of(current().spec().template());
        for (ReplicaSet rs : store.list(Kinds.REPLICA_SET, ns)) {
            int n = rs.spec().replicas();
            boolean ready = hash.equals(rs.metadata().label(ReplicaSet.TEMPLATE_HASH)) ? newReady : oldReady;
            store.update(rs.withStatus(new ReplicaSet.Status(n, ready ? n : 0, ready ? n : 0,
                    rs.metadata().generation())));
        }
    }

    private void rollTo(String image) {
        change(s -> image(s, image));
        int replicas = current().spec().replicas();
        for (int i = 0; i < 20 && !(java.util.Objects.equals(sizesByImage().get(image), replicas)
                && sizesByImage().values().stream().mapToInt(Integer::intValue).sum() == replicas); i++) {
            reconcile();
            podsCreated(true, true);
        }
        reconcile(); // cleans up history once the old sets are empty
    }

    /** image → revision of every ReplicaSet. */
    private Map<String, String> revisions() {
        return store.list(Kinds.REPLICA_SET, ns).stream().collect(Collectors.toMap(
                rs -> rs.spec().template().spec().containers().get(0).image(),
                rs -> rs.metadata().annotation(ReplicaSet.REVISION)));
    }

    private Condition progressing() {
        return current().status().conditions().stream().filter(c -> c.type().equals("Progressing"))
                .findFirst().orElseThrow();
    }

    private Map<String, Integer> sizesByImage() {
        return store.list(Kinds.REPLICA_SET, ns).stream().collect(Collectors.toMap(
                rs -> rs.spec().template().spec().containers().get(0).image(), rs -> rs.spec().replicas()));
    }

    @Test
    void eachTemplateGetsTheNextRevisionAndARollbackRenumbersTheOldSet() {
        store.create(deployment(ns, "web", 2, "img:1", "1", "0"));
        reconcile();
        podsCreated(true, true);
        assertThat(revisions()).containsExactly(Map.entry("img:1", "1"));

        rollTo("img:2");
        assertThat(revisions()).containsOnly(Map.entry("img:1", "1"), Map.entry("img:2", "2"));

        rollTo("img:1");
        assertThat(revisions()).containsOnly(Map.entry("img:1", "3"), Map.entry("img:2", "2"));
        assertThat(sizesByImage()).containsOnly(Map.entry("img:1", 2), Map.entry("img:2", 0));
    }

    @Test
    void revisionHistoryLimitKeepsOnlyTheNewestEmptyOldSets() {
        Deployment d = deployment(ns, "web", 1, "img:1", "1", "0");
        store.create(d.withSpec(d.spec().withRevisionHistoryLimit(2)));
        reconcile();
        podsCreated(true, true);

        for (int v = 2; v <= 5; v++) {
            rollTo("img:" + v);
        }

        List<ReplicaSet> left = store.list(Kinds.REPLICA_SET, ns).stream()
                .sorted(Comparator.comparingInt(DeploymentController::revision)).toList();
        assertThat(left).extracting(rs -> rs.spec().template().spec().containers().get(0).image())
                .containsExactly("img:3", "img:4", "img:5");
        assertThat(left).extracting(DeploymentController::revision).containsExactly(3, 4, 5);
    }

    @Test
    void aRolloutWithoutProgressPastItsDeadlineIsMarkedFailedWithAnEvent() {
        Deployment d = deployment(ns, "web", 2, "img:1", "1", "0");
        store.create(d.withSpec(d.spec().withProgressDeadlineSeconds(60)));
        reconcile();
        podsCreated(true, true);
        reconcile();
        assertThat(progressing().reason()).isEqualTo("NewReplicaSetAvailable");

        change(s -> image(s, "img:bad")); // its pods never become ready
        reconcile();
        podsCreated(true, false);
        Result waiting = reconcile();
        assertThat(progressing().status()).isEqualTo("True");
        assertThat(progressing().reason()).isEqualTo("ReplicaSetUpdated");
        assertThat(waiting.type()).isEqualTo(Result.Type.REQUEUE_AFTER);
        assertThat(waiting.delay()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(61));

        clock.advance(Duration.ofSeconds(30));
        Result stillWaiting = reconcile();
        assertThat(progressing().status()).isEqualTo("True");
        assertThat(stillWaiting.delay()).isLessThanOrEqualTo(Duration.ofSeconds(31));

        clock.advance(Duration.ofSeconds(31));
        reconcile();
        Condition failed = progressing();
        assertThat(failed.status()).isEqualTo("False");
        assertThat(failed.reason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(failed.message()).matches("ReplicaSet \"web-\\w+\" has timed out progressing\\.");
        assertThat(store.list(Kinds.EVENT, ns)).filteredOn(e -> e.reason().equals("ProgressDeadlineExceeded"))
                .singleElement().satisfies(e -> {
                    assertThat(e.type()).isEqualTo("Warning");
                    assertThat(e.message()).contains("exceeded its progress deadline");
                });
        assertThat(sizesByImage()).as("old pods keep serving").containsEntry("img:1", 2);

        reconcile(); // nothing new: stays failed, no second event
        assertThat(progressing().reason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(store.list(Kinds.EVENT, ns)).filteredOn(e -> e.reason().equals("ProgressDeadlineExceeded"))
                .extracting(Event::count).containsExactly(1);

        podsCreated(true, true); // the new pods come up after all
        for (int i = 0; i < 10; i++) {
            reconcile();
            podsCreated(true, true);
        }
        assertThat(progressing().status()).isEqualTo("True");
        assertThat(progressing().reason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(sizesByImage()).containsOnly(Map.entry("img:1", 0), Map.entry("img:bad", 2));
    }

    @Test
    void resizingMidRolloutSharesTheChangeInProportion() {
        // Kubernetes' documented example: 10 replicas, maxSurge 3, maxUnavailable 2, a new image that never
        // becomes ready: old 8, new 5. Scaled to 15, the 5 more go 3 to the old set and 2 to the new.
        store.create(deployment(ns, "web", 10, "img:1", "3", "2"));
        reconcile();
        podsCreated(true, true);
        change(s -> image(s, "img:bad"));
        for (int i = 0; i < 6; i++) {
            reconcile();
            podsCreated(true, false);
        }
        assertThat(sizesByImage()).containsOnly(Map.entry("img:1", 8), Map.entry("img:bad", 5));

        change(s -> s.withReplicas(15));
        reconcile();
        assertThat(sizesByImage()).containsOnly(Map.entry("img:1", 11), Map.entry("img:bad", 7));
        assertThat(store.list(Kinds.REPLICA_SET, ns)).allSatisfy(rs ->
                assertThat(rs.metadata().annotation(ReplicaSet.DESIRED_REPLICAS)).isEqualTo("15"));

        change(s -> s.withReplicas(5));
        podsCreated(true, false);
        reconcile();
        Map<String, Integer> down = sizesByImage();
        assertThat(down.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5 + 3); // replicas + maxSurge
        assertThat(down.get("img:1")).isGreaterThan(down.get("img:bad"));
    }

    @Test
    void throughTheQueueTheDeadlineIsCheckedWithoutAnyFurtherEvent() {
        DeploymentController real = new DeploymentController(store,
                new EventRecorder(store, DeploymentController.COMPONENT));
        Deployment d = deployment(ns, "web", 1, "img:1", "1", "0");
        try (ControllerRunner runner = new ControllerRunner(store, real,
                RunnerConfig.defaults().withResyncPeriod(Duration.ofMinutes(10))).start()) {
            store.create(d.withSpec(d.spec().withProgressDeadlineSeconds(1)));
            // nobody creates pods: the ReplicaSet never reports any, and only the requeue can notice the deadline
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Deployment now = store.get(Kinds.DEPLOYMENT, ns, "web").orElseThrow();
                return now.status() != null && now.status().conditions().stream().anyMatch(c ->
                        c.type().equals("Progressing") && c.reason().equals("ProgressDeadlineExceeded"));
            });
            assertThat(store.list(Kinds.REPLICA_SET, ns)).singleElement()
                    .satisfies(rs -> assertThat(DeploymentController.revision(rs)).isEqualTo(1));
        }
    }
}
