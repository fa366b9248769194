package dev.capstan.engine.controller.builtin;

import static dev.capstan.engine.controller.builtin.Fixtures.lease;
import static dev.capstan.engine.controller.builtin.Fixtures.node;
import static dev.capstan.engine.controller.builtin.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Condition;
import dev.capstan.model.Kinds;
import dev.capstan.model.Lease;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest {
    private static final AtomicInteger N = new AtomicInteger();
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration EVICTION = Duration.ofSeconds(10);
    private static HazelcastStateStore store;
    private Fixtures.MutableClock clock;
    private NodeLifecycleController controller;
    private String node;
    private String ns;

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
        int n = N.incrementAndGet();
        node = "node-" + n;
        ns = "nl" + n;
        clock = new Fixtures.MutableClock(Instant.now());
        controller = new NodeLifecycleController(store, new EventRecorder(store, NodeLifecycleController.COMPONENT,
                clock), clock, GRACE, EVICTION);
        store.create(node(node, "2", "4Gi", true));
        store.create(lease(node, clock.instant()));
    }

    private Condition ready() {
        return store.get(Kinds.NODE, null, node).orElseThrow().status().conditions().stream()
                .filter(c -> c.type().equals("Ready")).findFirst().orElseThrow();
    }

    private Pod podOn(String name, String nodeName) {
        Pod p = store.create(ReplicaSetController.podFor(Fixtures.replicaSet(ns, "web", 1)).withMetadata(
                dev.capstan.model.ObjectMeta.of(ns, name)));
        return store.update(running(p, nodeName, true));
    }

    @Test
    void aFreshLeaseLeavesTheNodeAloneAndChecksAgainWhenItWouldExpire() {
        clock.advance(Duration.ofSeconds(4));
        String rv = store.get(Kinds.NODE, null, node).orElseThrow().metadata().resourceVersion();

        Result r = controller.reconcile(node);

        assertThat(r.type()).isEqualTo(Result.Type.REQUEUE_AFTER);
        assertThat(r.delay()).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(7));
        assertThat(store.get(Kinds.NODE, null, node).orElseThrow().metadata().resourceVersion()).isEqualTo(rv);
    }

    @Test
    void aSilentNodeBecomesUnknownAndItsPodsNotReadyButStay() {
        Pod p = podOn("a", node);
        clock.advance(GRACE.plusSeconds(1));

        Result r = controller.reconcile(node);

        assertThat(ready().status()).isEqualTo("Unknown");
        assertThat(ready().reason()).isEqualTo(NodeLifecycleController.NODE_STATUS_UNKNOWN);
        assertThat(ready().message()).isEqualTo("node agent stopped posting status");
        Pod after = store.get(Kinds.POD, ns, "a").orElseThrow();
        assertThat(after.isReady()).isFalse();
        assertThat(after.metadata().uid()).isEqualTo(p.metadata().uid());
        assertThat(r.delay()).isLessThanOrEqualTo(EVICTION);
        assertThat(store.list(Kinds.EVENT, EventRecorder.CLUSTER_EVENTS_NAMESPACE))
                .anySatisfy(e -> {
                    assertThat(e.reason()).isEqualTo("NodeNotReady");
                    assertThat(e.involvedObject().name()).isEqualTo(node);
                });
    }

    @Test
    void afterTheEvictionDelayItsPodsAreDeletedOutright() {
        podOn("a", node);
        podOn("b", node);
        podOn("elsewhere", "other-node");
        clock.advance(GRACE.plusSeconds(1));
        controller.reconcile(node);
        clock.advance(EVICTION);

        controller.reconcile(node);

        assertThat(store.list(Kinds.POD, ns)).extracting(p -> p.metadata().name()).containsExactly("elsewhere");
        assertThat(store.list(Kinds.EVENT, EventRecorder.CLUSTER_EVENTS_NAMESPACE))
                .anySatisfy(e -> assertThat(e.message()).isEqualTo("Deleting all Pods from Node " + node + "."));
    }

    @Test
    void aRenewedLeaseMakesTheNodeReadyAgain() {
        clock.advance(GRACE.plusSeconds(1));
        controller.reconcile(node);
        Lease l = store.get(Kinds.LEASE, Lease.NODE_LEASE_NAMESPACE, node).orElseThrow();
        store.update(l.withSpec(lease(node, clock.instant()).spec()));

        controller.reconcile(node);

        assertThat(ready().status()).isEqualTo("True");
    }

    @Test
    void withoutALeaseTheNodeIsJudgedFromItsRegistration() {
        store.delete(Kinds.LEASE, Lease.NODE_LEASE_NAMESPACE, node, null);
        clock.advance(Duration.ofSeconds(5));
        controller.reconcile(node);
        assertThat(ready().status()).isEqualTo("True");

        clock.advance(Duration.ofSeconds(10));
        controller.reconcile(node);
        assertThat(ready().status()).isEqualTo("Unknown");
    }

    @Test
    void aDeletedNodeNeedsNothing() {
        assertThat(controller.reconcile("no-such-node")).isEqualTo(Result.done());
        assertThat(store.get(Kinds.NODE, null, node).map(Node::isReady)).contains(true);
    }
}
