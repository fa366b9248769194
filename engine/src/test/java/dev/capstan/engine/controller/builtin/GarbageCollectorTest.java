package dev.capstan.engine.controller.builtin;

import static dev.capstan.engine.controller.builtin.Fixtures.deployment;
import static dev.capstan.engine.controller.builtin.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Deployment;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Event;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.ReplicaSet;
import dev.capstan.model.Service;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {
    private static final AtomicInteger N = new AtomicInteger();
    private static HazelcastStateStore store;
    private String ns;
    private GarbageCollector gc;
    private Fixtures.MutableClock clock;
    private DeploymentController deployments;
    private ReplicaSetController replicaSets;

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
        ns = "gc" + N.incrementAndGet();
        clock = new Fixtures.MutableClock(Instant.now());
        gc = new GarbageCollector(store, clock, Duration.ofHours(1));
        if (store.get(Kinds.NODE, null, "n1").isEmpty()) {
            store.create(Fixtures.node("n1", "4", "8Gi", true));
        }
        EventRecorder events = new EventRecorder(store, "test");
        deployments = new DeploymentController(store, events);
        replicaSets = new ReplicaSetController(store, events, Clock.systemUTC(), Duration.ofMinutes(1));
    }

    /** A deployment with its ReplicaSet and two pods, one of them bound to a node. */
    private Deployment deploymentWithPods() {
        Deployment d = store.create(deployment(ns, "web", 2, "img:1", null, null));
        deployments.reconcile(d.key());
        ReplicaSet rs = store.list(Kinds.REPLICA_SET, ns).get(0);
        replicaSets.reconcile(rs.key());
        store.update(running(store.list(Kinds.POD, ns).get(0), "n1", true));
        return d;
    }

    @Test
    void aDeletedDeploymentTakesItsReplicaSetsAndTheirPodsWithIt() {
        deploymentWithPods();
        store.delete(Kinds.DEPLOYMENT, ns, "web", null);

        gc.reconcile(ns);

        assertThat(store.list(Kinds.REPLICA_SET, ns)).isEmpty();
        List<Pod> pods = store.list(Kinds.POD, ns);
        assertThat(pods).as("the bound pod is marked for its agent, the unbound one is gone").singleElement()
                .satisfies(p -> {
                    assertThat(p.nodeName()).isEqualTo("n1");
                    assertThat(p.metadata().deletionTimestamp()).isNotNull();
                });
    }

    @Test
    void anOwnerRecreatedUnderTheSameNameDoesNotAdoptTheOldDependents() {
        deploymentWithPods();
        store.delete(Kinds.DEPLOYMENT, ns, "web", null);
        store.create(deployment(ns, "web", 2, "img:1", null, null));

        gc.reconcile(ns);

        assertThat(store.list(Kinds.REPLICA_SET, ns)).isEmpty();
    }

    @Test
    void livingOwnersKeepTheirDependents() {
        deploymentWithPods();
        String rv = store.resourceVersion();

        gc.reconcile(ns);

        assertThat(store.resourceVersion()).isEqualTo(rv);
        assertThat(store.list(Kinds.POD, ns)).hasSize(2);
    }

    @Test
    void endpointsGoWithTheirService() {
        store.create(new Service(ObjectMeta.of(ns, "kept"), new Service.Spec(Map.of("app", "x"), null, null, null)));
        store.create(new Endpoints(ObjectMeta.of(ns, "kept"), null));
        store.create(new Endpoints(ObjectMeta.of(ns, "orphan"), null));

        gc.reconcile(ns);

        assertThat(store.list(Kinds.ENDPOINTS, ns)).extracting(e -> e.metadata().name()).containsExactly("kept");
    }

    @Test
    void eventsExpireAfterTheirTtl() {
        String old = Instant.now().minus(Duration.ofHours(2)).toString();
        String recent = Instant.now().toString();
        store.create(event("old", old));
        store.create(event("recent", recent));

        gc.reconcile(ns);

        assertThat(store.list(Kinds.EVENT, ns)).extracting(e -> e.metadata().name()).containsExactly("recent");
    }

    private Event event(String name, String last) {
        return new Event(null, null, ObjectMeta.of(ns, name), null, "Test", "m", "Normal", 1, last, last, null);
    }

    @Test
    void podsBoundToAMissingNodeAreDeletedOutrightAfterAQuarantine() {
        deploymentWithPods();
        Pod p = store.list(Kinds.POD, ns).stream().filter(x -> x.nodeName() == null).findFirst().orElseThrow();
        store.update(p.withSpec(p.spec().withNodeName("vanished")));

        Result first = gc.reconcile(ns);
        assertThat(first.type()).isEqualTo(Result.Type.REQUEUE_AFTER);
        assertThat(store.get(Kinds.POD, ns, p.metadata().name())).isPresent();

        clock.advance(Duration.ofSeconds(GarbageCollector.ORPHAN_QUARANTINE_SECONDS + 1));
        assertThat(gc.reconcile(ns)).isEqualTo(Result.done());
        assertThat(store.get(Kinds.POD, ns, p.metadata().name())).isEmpty();
        assertThat(store.list(Kinds.POD, ns)).extracting(Pod::nodeName).containsExactly("n1");
    }

    @Test
    void resyncCoversEveryNamespaceWithDependents() {
        deploymentWithPods();
        assertThat(gc.resyncKeys()).contains(ns);
    }
}
