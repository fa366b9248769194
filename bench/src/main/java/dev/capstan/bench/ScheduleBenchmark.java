package dev.capstan.bench;

import dev.capstan.engine.scheduler.Binder;
import dev.capstan.engine.scheduler.Decision;
import dev.capstan.engine.scheduler.Profile;
import dev.capstan.engine.scheduler.SchedulerCache;
import dev.capstan.model.Affinity;
import dev.capstan.model.Condition;
import dev.capstan.model.Container;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The scheduling benchmark: M generated pods onto N generated nodes (varied capacities, ten zones,
 * labels) through the real default {@link Profile}, its plugins and the real {@link SchedulerCache}, one
 * pod at a time as the scheduling thread does it. The binder records bindings in memory instead of writing
 * them to a store, so this measures scheduling decisions, not store writes. Metrics:
 * {@code schedule_plain_pods_per_s} and {@code schedule_plain_p99_ms} (100,000 pods onto 5,000 nodes),
 * {@code schedule_antiaffinity_pods_per_s} (the same with required pod anti-affinity by hostname on a third
 * of the pods, in groups of ten replicas), {@code schedule_scaling_ratio} (per-pod time at 5,000 nodes
 * over per-pod time at 500, same pods per node) and {@code schedule_heap_mb} (heap in use after the
 * 5,000-node run, with every pod cached). Arguments: {@code [pods] [nodes]} to scale it down.
 */
public final class ScheduleBenchmark implements Benchmark {
    public static final String HOST = "kubernetes.io/hostname";
    public static final String ZONE = "topology.kubernetes.io/zone";

    private final int pods;
    private final int nodes;

    public ScheduleBenchmark(int pods, int nodes) {
        this.pods = pods;
        this.nodes = nodes;
    }

    /** As {@code bench/run schedule} makes it; the sizes come from its options. */
    public ScheduleBenchmark() {
        this(100_000, 5_000);
    }

    @Override
    public String name() {
        return "schedule";
    }

    @Override
    public String description() {
        return "100,000 pods onto 5,000 nodes through the real scheduler profile and cache: pods/s, p99, "
                + "anti-affinity, scaling 500 -> 5,000 nodes, heap";
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("pods", "100000", "pods per scenario"),
                new Option("nodes", "5000", "nodes (the scaling ratio compares with a tenth of them)"));
    }

    @Override
    public void run(Options options, Report report) throws UsageError {
        int p = options.integer("pods", 10, 10_000_000);
        int n = options.integer("nodes", 10, 1_000_000);
        report.progress("scheduling " + p + " pods onto " + n + " nodes, real default profile and cache; bindings"
                + " recorded in memory (no store writes)");
        Map<String, Metric> m = new ScheduleBenchmark(p, n).run();
        m.forEach((k, v) -> {
            String val = v.value();
            int decimals = val.contains(".") ? val.length() - val.indexOf('.') - 1 : 0;
            report.metric(k, Double.parseDouble(val), decimals, v.unit());
        });
        report.summary(String.format("%d pods onto %d nodes: %s pods/s (p99 %s ms; target >= 2000, p99 <= 5),"
                        + " anti-affinity %s pods/s (target >= 200), scaling ratio %s (target <= 2), heap %s MiB"
                        + " (target <= 2048)", p, n, m.get("schedule_plain_pods_per_s").value(),
                m.get("schedule_plain_p99_ms").value(), m.get("schedule_antiaffinity_pods_per_s").value(),
                m.get("schedule_scaling_ratio").value(), m.get("schedule_heap_mb").value()));
    }

    public static void main(String[] args) {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        System.out.println("# schedule: " + pods + " pods onto " + nodes + " nodes, real default profile and cache;"
                + " bindings recorded in memory (no store writes)");
        new ScheduleBenchmark(pods, nodes).run().forEach((k, v) -> System.out.println(
                "BENCH " + k + " " + v.value() + " " + v.unit()));
    }

    /** One metric's value and unit. */
    public record Metric(String value, String unit) {
    }

    /** One run's outcome. */
    public record Run(int scheduled, int unschedulable, double seconds, double p99Millis, double cpuSeconds) {
        double podsPerSecond() {
            return (scheduled + unschedulable) / seconds;
        }

        double perPodMicros() {
            return seconds * 1e6 / (scheduled + unschedulable);
        }
    }

    /** Runs every scenario and returns the metrics, in print order. */
    public Map<String, Metric> run() {
        int smallNodes = Math.max(1, nodes / 10);
        int smallPods = Math.max(1, pods / 10);
        schedule(smallPods, smallNodes, false, null); // warm-up: JIT
        schedule(smallPods, smallNodes, true, null);
        Run small = schedule(smallPods, smallNodes, false, null);
        SchedulerCache[] kept = new SchedulerCache[1];
        Run plain = schedule(pods, nodes, false, kept);
        long heap = heapMb();
        kept[0] = null;
        Run anti = schedule(pods, nodes, true, null);
        Map<String, Metric> m = new LinkedHashMap<>();
        m.put("schedule_plain_pods_per_s", new Metric(String.format("%.0f", plain.podsPerSecond()), "pods/s"));
        m.put("schedule_plain_p99_ms", new Metric(String.format("%.3f", plain.p99Millis()), "ms"));
        m.put("schedule_antiaffinity_pods_per_s", new Metric(String.format("%.0f", anti.podsPerSecond()), "pods/s"));
        m.put("schedule_scaling_ratio", new Metric(String.format("%.2f", plain.perPodMicros() / small.perPodMicros()),
                "ratio"));
        m.put("schedule_heap_mb", new Metric(Long.toString(heap), "MiB"));
        System.err.printf("# plain: %d scheduled, %d unschedulable in %.2f s; anti-affinity: %d scheduled, %d"
                + " unschedulable in %.2f s; %d nodes: %.1f us/pod, %d nodes: %.1f us/pod;"
                + " scheduling thread cpu: plain %.2f s, anti-affinity %.2f s (wall > cpu means a busy machine)%n",
                plain.scheduled(), plain.unschedulable(), plain.seconds(), anti.scheduled(), anti.unschedulable(),
                anti.seconds(), nodes, plain.perPodMicros(), smallNodes, small.perPodMicros(), plain.cpuSeconds(),
                anti.cpuSeconds());
        return m;
    }

    /** Schedules {@code podCount} fresh pods onto {@code nodeCount} fresh nodes; keeps the cache in {@code keep}. */
    public static Run schedule(int podCount, int nodeCount, boolean antiAffinity, SchedulerCache[] keep) {
        SplittableRandom rnd = new SplittableRandom(42);
        SchedulerCache cache = new SchedulerCache();
        for (int i = 0; i < nodeCount; i++) {
            cache.upsertNode(node(i, rnd));
        }
        List<Pod> generated = new ArrayList<>(podCount);
        for (int i = 0; i < podCount; i++) {
            generated.add(pod(i, rnd, antiAffinity && i % 3 == 0));
        }
        Profile profile = Profile.defaults();
        List<String> bindings = new ArrayList<>(podCount);
        Binder recording = (pod, node) -> {
            bindings.add(node);
            return pod;
        };
        long[] latency = new long[podCount];
        int unschedulable = 0;
        int start = 0;
        var threads = ManagementFactory.getThreadMXBean();
        long cpuBegin = threads.getCurrentThreadCpuTime();
        long begin = System.nanoTime();
        for (int i = 0; i < podCount; i++) {
            Pod p = generated.get(i);
            long t0 = System.nanoTime();
            Decision d;
            synchronized (cache) {
                d = profile.schedule(p, cache, start);
                start += d.examined();
            }
            if (d.scheduled()) {
                cache.assume(p, d.nodeName());
                recording.bind(p, d.nodeName());
            } else {
                d.message();
                unschedulable++;
            }
            latency[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuBegin) / 1e9;
        Arrays.sort(latency);
        double p99 = latency[Math.max(0, (int) Math.ceil(podCount * 0.99) - 1)] / 1e6;
        if (keep != null) {
            keep[0] = cache;
        }
        return new Run(bindings.size(), unschedulable, seconds, p99, cpuSeconds);
    }

    private static long heapMb() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    static Node node(int i, SplittableRandom rnd) {
        String name = String.format("node-%05d", i);
        int size = rnd.nextInt(3);
        String cpu = new String[] {"8", "16", "32"}[size];
        String memory = new String[] {"32Gi", "64Gi", "128Gi"}[size];
        Map<String, String> alloc = Map.of("cpu", cpu, "memory", memory, "pods", "110");
        Map<String, String> labels = Map.of(HOST, name, ZONE, "zone-" + (i % 10),
                "node.kubernetes.io/instance-type", "m-" + cpu, "disk", i % 4 == 0 ? "ssd" : "hdd");
        return new Node(ObjectMeta.of(null, name).withLabels(labels), new Node.Spec(null, null),
                new Node.Status(alloc, alloc, List.of(Condition.of("Ready", true, "KubeletReady", null)), null, null));
    }

    static Pod pod(int i, SplittableRandom rnd, boolean antiAffinity) {
        String app = (antiAffinity ? "anti-" : "app-") + (i / 30);
        Map<String, String> requests = Map.of("cpu", (100 + 100 * rnd.nextInt(5)) + "m",
                "memory", (128 << rnd.nextInt(4)) + "Mi");
        Container c = new Container("main", "img:1", null, null, null, null, new Container.Resources(requests, null),
                null);
        Affinity affinity = !antiAffinity ? null : new Affinity(null, null, new Affinity.PodAffinity(List.of(
                new Affinity.PodAffinityTerm(new LabelSelector(Map.of("app", app)), null, HOST)), null));
        ObjectMeta meta = ObjectMeta.of("bench", "pod-" + i).withLabels(Map.of("app", app))
                .withOwnerReferences(List.of(new OwnerReference("apps/v1", "ReplicaSet", app, "uid-" + app, true)));
        return new Pod(meta, new PodSpec(List.of(c), null, null, null, null, null, affinity, null, null, null), null);
    }
}
