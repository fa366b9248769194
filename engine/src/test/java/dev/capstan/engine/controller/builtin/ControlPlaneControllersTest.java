package dev.capstan.engine.controller.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.Service;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/** The controllers and the scheduler together, through their queues, with two fake node agents. */
class ControlPlaneControllersTest {
    private static final String NS = "shop";

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
    }

    private static List<Pod> live(HazelcastStateStore store) {
        return store.list(Kinds.POD, NS).stream().filter(PodDeletion::isLive).toList();
    }

    private static boolean runningReady(HazelcastStateStore store, int n, Predicate<Pod> where) {
        List<Pod> pods = live(store);
        return pods.size() == n && pods.stream().allMatch(p -> p.isReady() && where.test(p));
    }

    @Test
    void keepsTheDeploymentRunningThroughScalingPodLossAndNodeLoss() {
        ControlPlaneConfig config = ControlPlaneConfig.defaults()
                .withNodeLifecycle(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withSchedulerRetryPeriod(Duration.ofSeconds(2))
                .withResyncPeriod(Duration.ofSeconds(5));
        ScheduledExecutorService agentsTimer = Executors.newScheduledThreadPool(2);
        try (HazelcastStateStore store = TestStores.start();
             FakeAgent a = new FakeAgent(store, "node-a", agentsTimer);
             FakeAgent b = new FakeAgent(store, "node-b", agentsTimer);
             ControlPlaneControllers cp = ControlPlaneControllers.start(store, config, Clock.systemUTC())) {
            store.create(new Service(ObjectMeta.of(NS, "web"), new Service.Spec(Map.of("app", "web"),
                    List.of(new Service.Port("http", 80, "http", "TCP")), null, null)));
            store.create(Fixtures.deployment(NS, "web", 2, "img:1", "1", "0"));

            // replicas 2 → two pods, one per node
            eventually().until(() -> runningReady(store, 2, p -> true));
            assertThat(live(store)).extracting(Pod::nodeName).containsExactlyInAnyOrder("node-a", "node-b");

            // scale to 4
            retryOnConflict(() -> {
                Deployment d = store.get(Kinds.DEPLOYMENT, NS, "web").orElseThrow();
                store.update(d.withSpec(d.spec().withReplicas(4)));
            });
            eventually().until(() -> runningReady(store, 4, p -> true));
            eventually().until(() -> readyAddresses(store) == 4);
            eventually().until(() -> store.get(Kinds.DEPLOYMENT, NS, "web").orElseThrow().status()
                    .availableReplicas() == 4);

            // a pod deleted (gracefully, as the API does) is replaced
            Pod victim = live(store).get(0);
            retryOnConflict(() -> PodDeletion.deleteGracefully(store,
                    store.get(Kinds.POD, NS, victim.metadata().name()).orElseThrow(), Clock.systemUTC()));
            eventually().until(() -> store.get(Kinds.POD, NS, victim.metadata().name()).isEmpty()
                    && runningReady(store, 4, p -> true));

            // a pod that failed is replaced
            Pod failing = live(store).get(0);
            retryOnConflict(() -> store.update(Fixtures.withPhase(
                    store.get(Kinds.POD, NS, failing.metadata().name()).orElseThrow(), Pod.FAILED)));
            eventually().until(() -> store.get(Kinds.POD, NS, failing.metadata().name()).isEmpty()
                    && runningReady(store, 4, p -> true));

            // node-a's agent dies: NotReady, its pods are deleted and recreated on node-b
            a.kill();
            eventually().until(() -> "Unknown".equals(readyStatus(store, "node-a")));
            eventually().until(() -> runningReady(store, 4, p -> "node-b".equals(p.nodeName())));
            assertThat(store.list(Kinds.POD, NS)).noneMatch(p -> "node-a".equals(p.nodeName()));
            eventually().until(() -> readyAddresses(store) == 4);

            // the deployment deleted: the garbage collector takes ReplicaSets and pods
            store.delete(Kinds.DEPLOYMENT, NS, "web", null);
            eventually().until(() -> store.list(Kinds.REPLICA_SET, NS).isEmpty()
                    && store.list(Kinds.POD, NS).isEmpty());
            Set<String> reasons = store.list(Kinds.EVENT, null).stream().map(e -> e.reason())
                    .collect(Collectors.toSet());
            assertThat(reasons).contains("ScalingReplicaSet", "SuccessfulCreate", "SuccessfulDelete", "Scheduled",
                    "NodeNotReady", "DeletingAllPods");
        } finally {
            agentsTimer.shutdownNow();
        }
    }

    /** Read-modify-write as any client does it: the controllers write too, so a conflict means read again. */
    private static void retryOnConflict(Runnable write) {
        for (int i = 0; ; i++) {
            try {
                write.run();
                return;
            } catch (ConflictException e) {
                if (i > 20) {
                    throw e;
                }
            }
        }
    }

    private static String readyStatus(HazelcastStateStore store, String node) {
        Node n = store.get(Kinds.NODE, null, node).orElseThrow();
        return n.status().conditions().stream().filter(c -> c.type().equals("Ready")).findFirst().orElseThrow()
                .status();
    }

    private static int readyAddresses(HazelcastStateStore store) {
        return store.get(Kinds.ENDPOINTS, NS, "web").map(e -> e.subsets().stream()
                .mapToInt(s -> s.addresses().size()).sum()).orElse(0);
    }
}
