package dev.capstan.engine.controller.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.engine.controller.ControllerRunner;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.RunnerConfig;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.DaemonSet;
import dev.capstan.model.Kinds;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.Toleration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DaemonSetController}: one pod per eligible node, following nodes as they come and go. */
class DaemonSetControllerTest {
    private static final AtomicInteger N = new AtomicInteger();
    private static HazelcastStateStore store;
    private String ns;
    private DaemonSetController controller;

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
        ns = "ds" + N.incrementAndGet();
        controller = new DaemonSetController(store, new EventRecorder(store, DaemonSetController.COMPONENT),
                new Fixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @AfterEach
    void removeNodes() {
        store.list(Kinds.NODE, null).forEach(n -> store.delete(Kinds.NODE, null, n.metadata().name(), null));
    }

    private Node node(String name, Map<String, String> labels, List<Node.Taint> taints) {
        Node n = Fixtures.node(name, "4", "8Gi", true);
        return store.create(new Node(n.metadata().withLabels(labels), new Node.Spec(null, null, taints), n.status()));
    }

    private DaemonSet daemon(Map<String, String> nodeSelector, List<Toleration> tolerations, String image) {
        PodTemplateSpec t = Fixtures.template("log-agent", image);
        PodSpec s = t.spec();
        PodSpec spec = new PodSpec(s.containers(), null, s.restartPolicy(), null, nodeSelector, null, null,
                tolerations, null, null);
        return new DaemonSet(ObjectMeta.of(ns, "log-agent"), new DaemonSet.Spec(
                new LabelSelector(Map.of("app", "log-agent")), new PodTemplateSpec(t.metadata(), spec), null), null);
    }

    private void reconcile() {
        controller.reconcile(ns + "/log-agent");
    }

    private List<String> podNodes() {
        return store.list(Kinds.POD, ns).stream().filter(PodDeletion::isLive).map(Pod::nodeName).sorted().toList();
    }

    @Test
    void onePodPerMatchingNodeHonouringSelectorAndTaints() {
        node("a", Map.of("disk", "ssd"), List.of());
        node("b", Map.of("disk", "ssd"), List.of(new Node.Taint("dedicated", "db", "NoSchedule")));
        node("c", Map.of("disk", "hdd"), List.of());
        node("d", Map.of("disk", "ssd"), List.of(new Node.Taint("node.kubernetes.io/unreachable", null, "NoExecute"),
                new Node.Taint("dedicated", "db", "PreferNoSchedule")));
        store.create(daemon(Map.of("disk", "ssd"), List.of(), "agent:1"));

        reconcile();
        reconcile(); // idempotent: no second pod anywhere

        assertThat(podNodes()).containsExactly("a", "d");
        DaemonSet ds = store.get(Kinds.DAEMON_SET, ns, "log-agent").orElseThrow();
        assertThat(ds.status().desiredNumberScheduled()).isEqualTo(2);
        assertThat(ds.status().currentNumberScheduled()).isEqualTo(2);
        assertThat(ds.status().updatedNumberScheduled()).isEqualTo(2);

        DaemonSet tolerant = daemon(Map.of("disk", "ssd"), List.of(new Toleration("dedicated", "Equal", "db",
                "NoSchedule", null)), "agent:1");
        store.update(tolerant.withMetadata(ds.metadata()));
        reconcile();
        assertThat(podNodes()).containsExactly("a", "b", "d");
    }

    @Test
    void followsNodesAddedRelabelledAndRemovedThroughTheQueue() {
        node("n1", Map.of(), List.of());
        try (ControllerRunner runner = new ControllerRunner(store, controller,
                RunnerConfig.defaults().withResyncPeriod(Duration.ofMinutes(10))).start()) {
            store.create(daemon(Map.of(), List.of(), "agent:1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> podNodes().equals(List.of("n1")));

            node("n2", Map.of(), List.of());
            await().atMost(Duration.ofSeconds(30)).until(() -> podNodes().equals(List.of("n1", "n2")));

            Node n1 = store.get(Kinds.NODE, null, "n1").orElseThrow();
            store.update(new Node(n1.metadata(), new Node.Spec(null, null,
                    List.of(new Node.Taint("maintenance", null, "NoExecute"))), n1.status()));
            await().atMost(Duration.ofSeconds(30)).until(() -> podNodes().equals(List.of("n2")));

            store.delete(Kinds.NODE, null, "n2", null);
            await().atMost(Duration.ofSeconds(30)).until(() -> store.list(Kinds.POD, ns).stream()
                    .noneMatch(p -> "n2".equals(p.nodeName())));
        }
    }

    @Test
    void aNewTemplateReplacesOneNodesPodAtATimeOnlyWhileTheOthersAreReady() {
        node("a", Map.of(), List.of());
        node("b", Map.of(), List.of());
        store.create(daemon(Map.of(), List.of(), "agent:1"));
        reconcile();
        DaemonSet v2 = daemon(Map.of(), List.of(), "agent:2");
        store.update(new DaemonSet(store.get(Kinds.DAEMON_SET, ns, "log-agent").orElseThrow().metadata(),
                v2.spec(), null));

        reconcile();
        assertThat(store.list(Kinds.POD, ns)).as("pods not ready: nothing replaced yet")
                .noneMatch(PodDeletion::isTerminating);

        allReady();
        reconcile();
        assertThat(store.list(Kinds.POD, ns)).filteredOn(PodDeletion::isTerminating).hasSize(1);
        reconcile();
        assertThat(store.list(Kinds.POD, ns)).as("one at a time").filteredOn(PodDeletion::isTerminating).hasSize(1);
    }

    private void allReady() {
        for (Pod p : store.list(Kinds.POD, ns)) {
            store.update(p.withStatus(new Pod.Status(Pod.RUNNING,
                    List.of(dev.capstan.model.Condition.of("Ready", true, null, null)), null, null, null, null,
                    Clock.systemUTC().instant().toString(), null)));
        }
    }
}
