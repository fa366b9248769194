package dev.capstan.engine.scheduler;

import static dev.capstan.engine.scheduler.Objects.node;
import static dev.capstan.engine.scheduler.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Condition;
import dev.capstan.model.Kinds;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final AtomicInteger N = new AtomicInteger();
    private static HazelcastStateStore store;
    private SchedulerHarness h;

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
        h = new SchedulerHarness(store, "sched" + N.incrementAndGet());
    }

    /** Nodes are cluster-wide and a new harness reads them all: leave none, nor pods bound to them. */
    @AfterEach
    void removeNodesAndPods() {
        for (Node n : store.list(Kinds.NODE, null)) {
            store.delete(Kinds.NODE, null, n.metadata().name(), null);
        }
        for (Pod p : store.list(Kinds.POD, null)) {
            store.delete(Kinds.POD, p.metadata().namespace(), p.metadata().name(), null);
        }
    }

    private static Condition scheduledCondition(Pod p) {
        return p.status().conditions().stream().filter(c -> c.type().equals("PodScheduled")).findFirst().orElseThrow();
    }

    @Test
    void bindsAPodToAFittingNodeWithPodScheduledAndAnEvent() {
        h.addNode(node("small", "1", "512Mi"));
        h.addNode(node("big", "4", "8Gi"));
        assertThat(h.addPod(pod("web", "500m", "1Gi"))).containsExactly(h.namespace + "/web");

        assertThat(h.schedule("web")).isEqualTo(Result.done());

        assertThat(h.bindings).containsExactly("web -> big");
        Pod p = h.pod("web");
        assertThat(p.nodeName()).isEqualTo("big");
        assertThat(scheduledCondition(p).status()).isEqualTo("True");
        assertThat(store.list(Kinds.EVENT, h.namespace)).extracting(e -> e.reason() + ": " + e.message())
                .containsExactly("Scheduled: Successfully assigned " + h.namespace + "/web to big");
    }

    @Test
    void countsPodsBoundEarlierInTheSamePass() {
        h.addNode(node("a", "4", "2Gi"));
        h.addNode(node("b", "4", "2Gi"));
        for (int i = 1; i <= 5; i++) {
            h.addPod(pod("p" + i, "100m", "1Gi"));
        }

        h.scheduleAll("p1", "p2", "p3", "p4", "p5");

        assertThat(h.bindings).hasSize(4);
        assertThat(h.bindings.stream().filter(b -> b.endsWith("-> a"))).hasSize(2);
        assertThat(h.bindings.stream().filter(b -> b.endsWith("-> b"))).hasSize(2);
        assertThat(scheduledCondition(h.pod("p5")).message())
                .isEqualTo("0/2 nodes are available: 2 insufficient memory.");
    }

    @Test
    void spreadsReplicasOfOneOwnerAcrossNodes() {
        h.addNode(node("a", "4", "8Gi"));
        h.addNode(node("b", "4", "8Gi"));
        h.addNode(node("c", "4", "8Gi"));
        for (int i = 1; i <= 3; i++) {
            h.addPod(pod("r" + i, null, null, Map.of(), "rs-uid"));
        }

        h.scheduleAll("r1", "r2", "r3");

        assertThat(h.bindings).extracting(b -> b.substring(b.indexOf("-> ") + 3)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void anUnschedulablePodSaysWhyAndWaitsForTheClusterToChange() {
        h.addNode(node("tiny", "1", "256Mi"));
        h.addNode(node("down", "8", "8Gi", "110", false, false, Map.of()));
        h.addPod(pod("big", "500m", "1Gi"));

        Result r = h.schedule("big");

        assertThat(r).isEqualTo(Result.requeueAfter(Duration.ofSeconds(30)));
        Pod p = h.pod("big");
        assertThat(p.nodeName()).isNull();
        Condition c = scheduledCondition(p);
        assertThat(c.status()).isEqualTo("False");
        assertThat(c.reason()).isEqualTo("Unschedulable");
        assertThat(c.message()).isEqualTo("0/2 nodes are available: 1 insufficient memory, 1 node(s) not ready.");
        assertThat(store.list(Kinds.EVENT, h.namespace)).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo("FailedScheduling");
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.message()).isEqualTo(c.message());
        });
        assertThat(h.scheduler.pending()).containsExactly(h.namespace + "/big");
        assertThat(h.scheduler.podEvent(new WatchEvent<>(WatchEvent.Type.MODIFIED, p)))
                .as("our own status write does not requeue it").isEmpty();

        Node ready = node("down", "8", "8Gi");
        Node stored = store.get(Kinds.NODE, null, "down").orElseThrow();
        Node nowReady = store.update(stored.withStatus(ready.status()));
        assertThat(h.scheduler.nodeEvent(new WatchEvent<>(WatchEvent.Type.MODIFIED, nowReady)))
                .containsExactly(h.namespace + "/big");
        h.schedule("big");
        assertThat(h.bindings).containsExactly("big -> down");
        assertThat(h.scheduler.pending()).isEmpty();
    }

    @Test
    void aDeletedPodFreesItsRoomForAWaitingOne() {
        h.addNode(node("only", "1", "1Gi"));
        h.addPod(pod("first", "100m", "1Gi"));
        h.addPod(pod("second", "100m", "1Gi"));
        h.scheduleAll("first", "second");
        assertThat(h.bindings).containsExactly("first -> only");

        Pod first = h.pod("first");
        store.delete(Kinds.POD, h.namespace, "first", null);
        assertThat(h.scheduler.podEvent(new WatchEvent<>(WatchEvent.Type.DELETED, first)))
                .containsExactly(h.namespace + "/second");
        h.schedule("second");

        assertThat(h.bindings).containsExactly("first -> only", "second -> only");
    }

    @Test
    void aConflictingBindIsUndoneAndRetried() {
        h.addNode(node("only", "1", "1Gi"));
        h.addPod(pod("a", "100m", "1Gi"));
        h.bindHook = (pod, node) -> {
            throw new ConflictException("changed");
        };

        assertThatThrownBy(() -> h.schedule("a")).isInstanceOf(ConflictException.class);

        h.bindHook = null;
        assertThat(h.schedule("a")).isEqualTo(Result.done());
        assertThat(h.pod("a").nodeName()).as("the failed attempt left no phantom on the node").isEqualTo("only");
    }

    @Test
    void boundTerminatingAndEndedPodsAreNotScheduled() {
        h.addNode(node("n", "4", "4Gi"));
        h.addPod(pod("bound", null, null));
        Pod b = h.pod("bound");
        store.update(b.withSpec(b.spec().withNodeName("elsewhere")));
        h.addPod(pod("leaving", null, null));
        Pod l = h.pod("leaving");
        store.update(l.withMetadata(l.metadata().withDeletionTimestamp("2030-01-01T00:00:00Z")));

        h.scheduleAll("bound", "leaving", "missing");

        assertThat(h.bindings).isEmpty();
        assertThat(Scheduler.needsScheduling(h.pod("leaving"))).isFalse();
    }
}
