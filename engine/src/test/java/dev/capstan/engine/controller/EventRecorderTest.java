package dev.capstan.engine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Event;
import dev.capstan.model.Kinds;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
    private static HazelcastStateStore store;

    @BeforeAll
    static void startMember() {
        store = TestStores.start();
    }

    @AfterAll
    static void stopMember() {
        store.close();
    }

    @Test
    void repeatsOfTheSameEventBumpCountAndLastTimestamp() {
        Pod pod = store.create(new Pod(ObjectMeta.of("ev1", "web"), new PodSpec(null, null, null, null, null, null),
                null));
        EventRecorder rec = new EventRecorder(store, "test-component");

        rec.warning(pod, "FailedScheduling", "0/1 nodes are available: 1 node(s) not ready.");
        rec.warning(pod, "FailedScheduling", "0/1 nodes are available: 1 node(s) not ready.");
        rec.warning(pod, "FailedScheduling", "0/2 nodes are available: 2 insufficient cpu.");
        rec.normal(pod, "Scheduled", "Successfully assigned ev1/web to n1");

        assertThat(store.list(Kinds.EVENT, "ev1")).hasSize(3);
        Event e = store.get(Kinds.EVENT, "ev1", EventRecorder.eventName(pod, EventRecorder.WARNING,
                "FailedScheduling", "0/1 nodes are available: 1 node(s) not ready.")).orElseThrow();
        assertThat(e.count()).isEqualTo(2);
        assertThat(e.type()).isEqualTo("Warning");
        assertThat(e.involvedObject().name()).isEqualTo("web");
        assertThat(e.involvedObject().uid()).isEqualTo(pod.metadata().uid());
        assertThat(e.source().component()).isEqualTo("test-component");
        assertThat(e.metadata().name()).matches("web\\.[0-9a-f]{16}");
    }

    @Test
    void eventsAboutClusterScopedObjectsGoToDefault() {
        Node node = store.create(new Node(ObjectMeta.of(null, "ev-node"), null, null));
        new EventRecorder(store, "node-controller").normal(node, "NodeReady", "Node ev-node status is now: NodeReady");

        assertThat(store.list(Kinds.EVENT, EventRecorder.CLUSTER_EVENTS_NAMESPACE))
                .anySatisfy(e -> assertThat(e.involvedObject().kind()).isEqualTo("Node"));
    }
}
