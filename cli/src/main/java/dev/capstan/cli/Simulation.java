package dev.capstan.cli;

import dev.capstan.engine.controller.builtin.ControlPlaneConfig;
import dev.capstan.engine.controller.builtin.ControlPlaneControllers;
import dev.capstan.engine.scheduler.Placement;
import dev.capstan.engine.scheduler.ScoringStrategy;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Affinity;
import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Namespace;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.TopologySpreadConstraint;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code capstan simulate}: a control plane with no runtimes over a private in-process store — the real
 * Deployment and ReplicaSet controllers and the real scheduler — fed N simulated nodes (three sizes, zones,
 * labels) and Deployments totalling M pods (some with anti-affinity by host, some spread over zones), then
 * a report of where the pods went and, for those that did not fit, why.
 *
 * @param nodes    simulated nodes
 * @param pods     pods in total, in Deployments of 1 to 20 replicas
 * @param zones    zones the nodes are spread over
 * @param strategy the scheduler's resource strategy
 * @param seed     makes the generated cluster and workload repeatable
 * @param timeout  how long to wait for every pod to be placed or found unschedulable
 */
record Simulation(int nodes, int pods, int zones, ScoringStrategy strategy, long seed, Duration timeout) {
    static final String NAMESPACE = "sim";
    static final String HOST = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    /** Runs the simulation, writing the report to {@code out}; returns the pods that found no node. */
    int run(PrintStream out) throws InterruptedException {
        StoreConfig config = StoreConfig.defaults().withClusterName("capstan-simulate-" + UUID.randomUUID())
                .withPort(30000 + ThreadLocalRandom.current().nextInt(20000)).withBackupCount(0);
        long begin = System.nanoTime();
        try (HazelcastStateStore store = HazelcastStateStore.embedded(config);
             ControlPlaneControllers controllers = ControlPlaneControllers.start(store, ControlPlaneConfig.defaults()
                     .withNodeLifecycle(Duration.ofDays(1), Duration.ofDays(1)).withScoringStrategy(strategy)
                     .withSchedulerRetryPeriod(Duration.ofSeconds(5)))) {
            SplittableRandom rnd = new SplittableRandom(seed);
            store.create(new Namespace(ObjectMeta.of(null, NAMESPACE)));
            for (int i = 0; i < nodes; i++) {
                store.create(node(i, rnd));
            }
            int total = 0;
            for (int d = 0; total < pods; d++) {
                int replicas = Math.min(pods - total, 1 + rnd.nextInt(20));
                store.create(deployment(d, replicas, rnd));
                total += replicas;
            }
            List<Pod> seen = waitForPlacement(store, total);
            report(out, seen, total, (System.nanoTime() - begin) / 1e9);
            return (int) seen.stream().filter(p -> p.nodeName() == null).count() + (total - seen.size());
        }
    }

    private List<Pod> waitForPlacement(HazelcastStateStore store, int total) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Pod> current;
        do {
            current = store.list(Kinds.POD, NAMESPACE);
            long decided = current.stream().filter(p -> p.nodeName() != null || unschedulable(p) != null).count();
            if (current.size() >= total && decided >= total) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return current;
    }

    private void report(PrintStream out, List<Pod> all, int total, double seconds) {
        long bound = all.stream().filter(p -> p.nodeName() != null).count();
        out.printf("simulated %d nodes in %d zones, %d pods (%s): %d scheduled, %d pending, in %.1f s%n", nodes, zones,
                total, strategy == ScoringStrategy.MOST_ALLOCATED ? "MostAllocated" : "LeastAllocated", bound,
                total - bound, seconds);
        Map<String, Integer> perNode = new TreeMap<>();
        Map<String, Integer> perZone = new TreeMap<>();
        for (Pod p : all) {
            if (p.nodeName() != null) {
                perNode.merge(p.nodeName(), 1, Integer::sum);
                perZone.merge(zoneOf(p.nodeName()), 1, Integer::sum);
            }
        }
        Table zonesTable = new Table("ZONE", "PODS");
        perZone.forEach(zonesTable::row);
        zonesTable.print(out);
        int used = perNode.size();
        int min = used < nodes ? 0 : perNode.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int max = perNode.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        out.printf("pods per node: min %d, max %d, mean %.1f; %d of %d nodes used%n", min, max,
                nodes == 0 ? 0.0 : (double) bound / nodes, used, nodes);
        Map<String, Integer> reasons = new TreeMap<>();
        for (Pod p : all) {
            String why = p.nodeName() == null ? unschedulable(p) : null;
            if (why != null) {
                reasons.merge(why, 1, Integer::sum);
            }
        }
        if (!reasons.isEmpty()) {
            out.println("pending:");
            reasons.forEach((why, n) -> out.println("  " + n + " pod(s): " + why));
        }
    }

    private String zoneOf(String node) {
        int i = Integer.parseInt(node.substring(node.lastIndexOf('-') + 1));
        return "zone-" + (char) ('a' + i % Math.max(1, zones));
    }

    private static String unschedulable(Pod p) {
        return Placement.unschedulableReason(p);
    }

    private Node node(int i, SplittableRandom rnd) {
        String name = String.format("sim-node-%d", i);
        int size = rnd.nextInt(3);
        String cpu = new String[] {"4", "8", "16"}[size];
        Map<String, String> alloc = Map.of("cpu", cpu, "memory", new String[] {"8Gi", "16Gi", "32Gi"}[size],
                "pods", "110");
        Map<String, String> labels = Map.of(HOST, name, ZONE, zoneOf(name), "node.kubernetes.io/instance-type",
                "sim-" + cpu + "cpu");
        return Placement.simulatedNode(name, alloc, labels, List.of());
    }

    private static Deployment deployment(int d, int replicas, SplittableRandom rnd) {
        String app = "app-" + d;
        Map<String, String> labels = Map.of("app", app);
        Container c = new Container("main", "simulated:latest", null, null, null, null, new Container.Resources(
                Map.of("cpu", (100 + 100 * rnd.nextInt(10)) + "m", "memory", (128 << rnd.nextInt(4)) + "Mi"), null),
                null);
        Affinity affinity = null;
        List<TopologySpreadConstraint> spread = null;
        switch (d % 4) {
            case 1 -> affinity = new Affinity(null, null, new Affinity.PodAffinity(List.of(
                    new Affinity.PodAffinityTerm(new LabelSelector(labels), null, HOST)), null));
            case 2 -> spread = List.of(new TopologySpreadConstraint(1, ZONE, "DoNotSchedule", new LabelSelector(labels)));
            default -> { }
        }
        PodSpec spec = new PodSpec(List.of(c), null, null, null, null, null, affinity, null, spread, d % 5 == 0 ? 100 : 0);
        return new Deployment(ObjectMeta.of(NAMESPACE, app).withLabels(labels), new Deployment.Spec(replicas,
                new LabelSelector(labels), new PodTemplateSpec(ObjectMeta.of(null, null).withLabels(labels), spec), null),
                null);
    }
}
