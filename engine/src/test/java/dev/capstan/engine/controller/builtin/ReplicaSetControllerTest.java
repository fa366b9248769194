package dev.capstan.engine.controller.builtin;

import static dev.capstan.engine.controller.builtin.Fixtures.livePods;
import static dev.capstan.engine.controller.builtin.Fixtures.pods;
import static dev.capstan.engine.controller.builtin.Fixtures.replicaSet;
import static dev.capstan.engine.controller.builtin.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.ReplicaSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {
    private static final AtomicInteger N = new AtomicInteger();
    private static HazelcastStateStore store;
    private String ns;
    private ReplicaSetController controller;

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
        ns = "rs" + N.incrementAndGet();
        controller = controllerOver(store);
    }

    private static ReplicaSetController controllerOver(dev.capstan.engine.store.StateStore s) {
        return new ReplicaSetController(s, new EventRecorder(s, ReplicaSetController.COMPONENT), Clock.systemUTC(),
                Duration.ofMinutes(1));
    }

    private ReplicaSet rs(int replicas) {
        return store.create(replicaSet(ns, "web", replicas));
    }

    private ReplicaSet scale(int replicas) {
        ReplicaSet cur = store.get(Kinds.REPLICA_SET, ns, "web").orElseThrow();
        return store.update(cur.withSpec(cur.spec().withReplicas(replicas)));
    }

    private Result reconcile() {
        return controller.reconcile(ns + "/web");
    }

    @Test
    void createsTheMissingPodsFromTheTemplateOwnedByTheReplicaSet() {
        ReplicaSet rs = rs(3);

        assertThat(reconcile()).isEqualTo(Result.done());

        List<Pod> pods = pods(store, ns);
        assertThat(pods).hasSize(3).allSatisfy(p -> {
            assertThat(p.metadata().name()).matches("web-[a-z0-9]{5}");
            assertThat(p.metadata().labels()).containsEntry("app", "web");
            assertThat(p.metadata().controller().uid()).isEqualTo(rs.metadata().uid());
            assertThat(p.metadata().controller().kind()).isEqualTo("ReplicaSet");
            assertThat(p.nodeName()).isNull();
            assertThat(p.phase()).isEqualTo(Pod.PENDING);
        });
        ReplicaSet.Status status = store.get(Kinds.REPLICA_SET, ns, "web").orElseThrow().status();
        assertThat(status).isEqualTo(new ReplicaSet.Status(3, 0, 0, 1L));
        assertThat(store.list(Kinds.EVENT, ns)).extracting(e -> e.reason()).containsOnly("SuccessfulCreate");
    }

    @Test
    void reconcilingAgainWithNothingChangedWritesNothing() {
        rs(2);
        reconcile();
        String rv = store.resourceVersion();

        assertThat(reconcile()).isEqualTo(Result.done());

        assertThat(store.resourceVersion()).isEqualTo(rv);
    }

    @Test
    void aStaleListNeverMakesItCreateTwice() {
        rs(3);
        FlakyStore stale = new FlakyStore(store);
        ReplicaSetController c = controllerOver(stale);
        stale.freeze(Kinds.POD, ns);

        assertThat(c.reconcile(ns + "/web")).isEqualTo(Result.done());
        Result second = c.reconcile(ns + "/web");

        assertThat(second.type()).isEqualTo(Result.Type.RETRY);
        assertThat(second.reason()).contains("3 creation(s)");
        assertThat(pods(store, ns)).hasSize(3);
        stale.thaw();
        assertThat(c.reconcile(ns + "/web")).isEqualTo(Result.done());
        assertThat(pods(store, ns)).hasSize(3);
    }

    @Test
    void scaleDownRemovesUnscheduledThenNotReadyPodsAndDeletesBoundOnesGracefully() {
        rs(4);
        reconcile();
        List<Pod> pods = pods(store, ns);
        store.update(running(pods.get(0), "n1", true));
        Pod notReady = store.update(running(pods.get(1), "n1", false));
        store.update(running(pods.get(2), "n2", true));
        Pod unscheduled = pods.get(3);
        scale(2);

        reconcile();

        assertThat(store.get(Kinds.POD, ns, unscheduled.metadata().name())).isEmpty();
        Pod marked = store.get(Kinds.POD, ns, notReady.metadata().name()).orElseThrow();
        assertThat(marked.metadata().deletionTimestamp()).isNotNull();
        assertThat(livePods(store, ns)).hasSize(2).allMatch(Pod::isReady);
        assertThat(store.get(Kinds.REPLICA_SET, ns, "web").orElseThrow().status().replicas()).isEqualTo(2);
    }

    @Test
    void aDeletionThatLostARaceDoesNotBlockTheNextAttempt() {
        rs(1);
        reconcile();
        store.update(running(pods(store, ns).get(0), "n1", true));
        scale(0);
        FlakyStore flaky = new FlakyStore(store);
        ReplicaSetController c = controllerOver(flaky);
        flaky.failNextUpdate();

        assertThatThrownBy(() -> c.reconcile(ns + "/web")).isInstanceOf(ConflictException.class);
        assertThat(c.reconcile(ns + "/web")).isEqualTo(Result.done());

        assertThat(livePods(store, ns)).isEmpty();
    }

    @Test
    void aFailedPodIsDeletedAndReplaced() {
        rs(2);
        reconcile();
        List<Pod> pods = pods(store, ns);
        Pod boundFailed = store.update(Fixtures.withPhase(running(pods.get(0), "n1", false), Pod.FAILED));
        Pod unboundSucceeded = store.update(pods.get(1).withStatus(new Pod.Status(Pod.SUCCEEDED, null, null, null,
                null, null, null, null)));

        reconcile();

        assertThat(store.get(Kinds.POD, ns, boundFailed.metadata().name()).orElseThrow().metadata()
                .deletionTimestamp()).as("bound: marked, the agent finishes").isNotNull();
        assertThat(store.get(Kinds.POD, ns, unboundSucceeded.metadata().name())).as("unbound: gone").isEmpty();
        assertThat(livePods(store, ns)).hasSize(2)
                .noneMatch(p -> p.metadata().name().equals(boundFailed.metadata().name()));
    }

    @Test
    void podsBeingDeletedDoNotCountAndAreReplaced() {
        rs(1);
        reconcile();
        Pod p = store.update(running(pods(store, ns).get(0), "n1", true));
        PodDeletion.deleteGracefully(store, p, Clock.systemUTC());

        reconcile();

        assertThat(pods(store, ns)).hasSize(2);
        assertThat(livePods(store, ns)).hasSize(1);
    }

    @Test
    void aDeletedReplicaSetNeedsNothing() {
        assertThat(controller.reconcile(ns + "/gone")).isEqualTo(Result.done());
        assertThat(pods(store, ns)).isEmpty();
    }

    @Test
    void scaleDownOrderIsUnscheduledThenNotReadyThenNewest() {
        Pod oldReady = pod("a", "2026-01-01T00:00:00Z", "n1", true);
        Pod newReady = pod("b", "2026-01-02T00:00:00Z", "n1", true);
        Pod notReady = pod("c", "2026-01-01T00:00:00Z", "n1", false);
        Pod unscheduled = pod("d", "2025-01-01T00:00:00Z", null, false);

        List<Pod> order = java.util.stream.Stream.of(oldReady, newReady, notReady, unscheduled)
                .sorted(ReplicaSetController.DELETE_FIRST).toList();

        assertThat(order).containsExactly(unscheduled, notReady, newReady, oldReady);
    }

    private static Pod pod(String name, String created, String node, boolean ready) {
        Pod p = ReplicaSetController.podFor(replicaSet("x", "web", 1).withMetadata(ObjectMeta.of("x", "web")))
                .withMetadata(ObjectMeta.of("x", name).withCreationTimestamp(created));
        return node == null ? p : running(p, node, ready);
    }
}
