package dev.capstan.engine.controller.builtin;

import static dev.capstan.engine.controller.builtin.Fixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.ReplicaSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {
    private static final AtomicInteger N = new AtomicInteger();
    private static HazelcastStateStore store;
    private String ns;
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
        ns = "dep" + N.incrementAndGet();
        controller = new DeploymentController(store, new EventRecorder(store, DeploymentController.COMPONENT));
    }

    private void reconcile() {
        controller.reconcile(ns + "/web");
    }

    private Deployment current() {
        return store.get(Kinds.DEPLOYMENT, ns, "web").orElseThrow();
    }

    private Deployment change(java.util.function.UnaryOperator<Deployment.Spec> f) {
        Deployment d = current();
        return store.update(d.withSpec(f.apply(d.spec())));
    }

    /** The deployment's ReplicaSets, the one of the current template last. */
    private List<ReplicaSet> sets() {
        String hash = TemplateHash.of(current().spec().template());
        return store.list(Kinds.REPLICA_SET, ns).stream()
                .sorted(Comparator.comparing(rs -> hash.equals(rs.metadata().label(ReplicaSet.TEMPLATE_HASH))))
                .toList();
    }

    /** Plays the ReplicaSet controller with pods that are ready at once. */
    private void allPodsReady() {
        for (ReplicaSet rs : store.list(Kinds.REPLICA_SET, ns)) {
            int n = rs.spec().replicas();
            store.update(rs.withStatus(new ReplicaSet.Status(n, n, n, rs.metadata().generation())));
        }
    }

    private static Deployment.Spec image(Deployment.Spec s, String image) {
        return new Deployment.Spec(s.replicas(), s.selector(), Fixtures.template("web", image), s.strategy());
    }

    @Test
    void createsOneReplicaSetNamedAfterTheTemplateHash() {
        Deployment d = store.create(deployment(ns, "web", 3, "img:1", "1", "0"));

        reconcile();

        String hash = TemplateHash.of(d.spec().template());
        ReplicaSet rs = store.get(Kinds.REPLICA_SET, ns, "web-" + hash).orElseThrow();
        assertThat(rs.spec().replicas()).isEqualTo(3);
        assertThat(rs.metadata().labels()).containsEntry(ReplicaSet.TEMPLATE_HASH, hash).containsEntry("app", "web");
        assertThat(rs.spec().selector().matchLabels()).containsEntry(ReplicaSet.TEMPLATE_HASH, hash);
        assertThat(rs.spec().template().metadata().labels()).containsEntry(ReplicaSet.TEMPLATE_HASH, hash);
        assertThat(rs.metadata().controller().uid()).isEqualTo(d.metadata().uid());
        assertThat(rs.metadata().controller().controller()).isTrue();
        assertThat(current().status().observedGeneration()).isEqualTo(1L);
        assertThat(store.list(Kinds.EVENT, ns)).extracting(e -> e.message())
                .contains("Scaled up replica set web-" + hash + " from 0 to 3");
    }

    @Test
    void theHashIsStableAndChangesWithTheTemplate() {
        assertThat(TemplateHash.of(Fixtures.template("web", "img:1")))
                .isEqualTo(TemplateHash.of(Fixtures.template("web", "img:1")))
                .isNotEqualTo(TemplateHash.of(Fixtures.template("web", "img:2")))
                .matches("[bcdfghjklmnpqrstvwxz2456789]{10}");
    }

    @Test
    void scalingTheDeploymentScalesItsReplicaSet() {
        store.create(deployment(ns, "web", 3, "img:1", null, null));
        reconcile();

        change(s -> s.withReplicas(5));
        reconcile();
        assertThat(sets()).singleElement().satisfies(rs -> assertThat(rs.spec().replicas()).isEqualTo(5));

        change(s -> s.withReplicas(1));
        reconcile();
        assertThat(sets()).singleElement().satisfies(rs -> assertThat(rs.spec().replicas()).isEqualTo(1));
    }

    @Test
    void rollingUpdateStaysWithinSurgeAndNeverBelowAvailability() {
        store.create(deployment(ns, "web", 4, "img:1", "1", "0"));
        reconcile();
        allPodsReady();
        change(s -> image(s, "img:2"));

        for (int step = 0; step < 30; step++) {
            reconcile();
            int total = sets().stream().mapToInt(rs -> rs.spec().replicas()).sum();
            assertThat(total).as("pods asked for at step %d", step).isBetween(4, 5);
            allPodsReady();
        }

        List<ReplicaSet> sets = sets();
        assertThat(sets).hasSize(2);
        assertThat(sets.get(0).spec().replicas()).as("old").isZero();
        assertThat(sets.get(1).spec().replicas()).as("new").isEqualTo(4);
        reconcile();
        Deployment.Status s = current().status();
        assertThat(s.updatedReplicas()).isEqualTo(4);
        assertThat(s.availableReplicas()).isEqualTo(4);
        assertThat(s.observedGeneration()).isEqualTo(2L);
        assertThat(s.conditions()).anySatisfy(c -> assertThat(c.reason()).isEqualTo("NewReplicaSetAvailable"));
    }

    @Test
    void oldPodsStayUntilNewOnesAreReady() {
        store.create(deployment(ns, "web", 1, "img:1", null, null));
        reconcile();
        allPodsReady();
        change(s -> image(s, "img:2"));

        for (int i = 0; i < 5; i++) {
            reconcile();
        }

        List<ReplicaSet> sets = sets();
        assertThat(sets.get(0).spec().replicas()).as("old keeps its pod").isEqualTo(1);
        assertThat(sets.get(1).spec().replicas()).as("new surges by one").isEqualTo(1);
        allPodsReady();
        reconcile();
        assertThat(sets().get(0).spec().replicas()).isZero();
    }

    @Test
    void recreateScalesOldToZeroBeforeStartingNew() {
        Deployment d = deployment(ns, "web", 2, "img:1", null, null);
        store.create(d.withSpec(new Deployment.Spec(2, d.spec().selector(), d.spec().template(),
                new Deployment.Strategy("Recreate", null))));
        reconcile();
        allPodsReady();
        change(s -> image(s, "img:2"));

        reconcile();
        reconcile();
        assertThat(sets()).extracting(rs -> rs.spec().replicas()).containsExactly(0, 0);

        allPodsReady(); // old pods gone
        reconcile();
        assertThat(sets()).extracting(rs -> rs.spec().replicas()).containsExactly(0, 2);
    }

    @Test
    void statusSumsTheReplicaSets() {
        store.create(deployment(ns, "web", 3, "img:1", "1", "1"));
        reconcile();
        ReplicaSet rs = sets().get(0);
        store.update(rs.withStatus(new ReplicaSet.Status(3, 2, 2, 1L)));

        reconcile();

        Deployment.Status s = current().status();
        assertThat(List.of(s.replicas(), s.updatedReplicas(), s.readyReplicas(), s.availableReplicas()))
                .containsExactly(3, 3, 2, 2);
        assertThat(s.conditions()).anySatisfy(c -> {
            assertThat(c.type()).isEqualTo("Available");
            assertThat(c.status()).isEqualTo("True");
        });
    }

    @Test
    void aDeletedDeploymentIsLeftToTheGarbageCollector() {
        store.create(deployment(ns, "web", 2, "img:1", null, null));
        reconcile();
        store.delete(Kinds.DEPLOYMENT, ns, "web", null);

        assertThat(controller.reconcile(ns + "/web")).isEqualTo(dev.capstan.engine.controller.Result.done());
        assertThat(store.list(Kinds.REPLICA_SET, ns)).hasSize(1);
    }
}
