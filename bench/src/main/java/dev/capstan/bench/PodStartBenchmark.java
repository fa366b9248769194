package dev.capstan.bench;

import dev.capstan.engine.api.ApiServer;
import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.engine.store.Watch;
import dev.capstan.model.Container;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.node.agent.AgentConfig;
import dev.capstan.node.agent.NodeAgent;
import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.Runtimes;
import dev.capstan.node.runtime.cri.CriRuntime;
import dev.capstan.node.runtime.cri.LocalImages;
import dev.capstan.node.runtime.cri.PrivateContainerd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Pod start against a private containerd on this machine:
 * <ul>
 *   <li>{@code pod_start_floor_ms}: {@code ctr --address SOCK -n k8s.io run --rm IMAGE id /bin/true}, median of
 *       {@value #RUNS} runs after a warm-up: what containerd itself needs to start and end a container;</li>
 *   <li>{@code pod_start_ms}: a pod created already bound to the node until its status says Running (the agent
 *       sees it through its watch, creates sandbox and container, writes status through the HTTPS API), median
 *       of {@value #RUNS};</li>
 *   <li>{@code pod_start_ratio}: the two divided;</li>
 *   <li>{@code pods100_running_s}: 100 pods bound to one node at once until all are Running.</li>
 * </ul>
 * An embedded store and API server stand in for the control plane (the pods are created bound, so the
 * scheduler plays no part). Needs root, containerd, runc and busybox-static.
 */
public final class PodStartBenchmark implements Benchmark {
    static final int RUNS = 5;
    private static final int MANY = 100;

    @Override
    public String name() {
        return "pod-start";
    }

    @Override
    public String description() {
        return "a pod from bound to Running through the agent vs 'ctr run' on the same containerd; 100 pods on one node";
    }

    @Override
    public List<Option> options() {
        return List.of();
    }

    @Override
    public void run(Options options, Report report) throws Exception {
        report.progress("starting a private containerd and an API server; " + RUNS + " runs each after a warm-up");
        Map<String, Double> m;
        try {
            m = run();
        } catch (RuntimeFailure e) {
            throw new BenchmarkFailure(e.getMessage());
        }
        m.forEach((k, v) -> report.metric(k, v, 2, unit(k)));
        report.summary(String.format("floor %s ms, through the agent %s ms, ratio %s (target <= 1.5);"
                        + " 100 pods Running in %s s (target <= 15)", format(m.get("pod_start_floor_ms")),
                format(m.get("pod_start_ms")), format(m.get("pod_start_ratio")), format(m.get("pods100_running_s"))));
    }

    public static void main(String[] args) {
        try {
            Map<String, Double> m = run();
            m.forEach((k, v) -> System.out.println("BENCH " + k + " " + format(v) + " " + unit(k)));
        } catch (RuntimeFailure | IOException | RuntimeException e) {
            System.err.println("pod-start benchmark: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    /** Runs everything and returns metric name to value (ms, ratio, s), in the order above. */
    public static Map<String, Double> run() throws RuntimeFailure, IOException, InterruptedException {
        var why = Runtimes.containerdUnusable(null);
        if (why.isPresent()) {
            throw new RuntimeFailure("needs a private containerd: " + why.get());
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "capstan-bench-");
        Map<String, Double> out = new LinkedHashMap<>();
        PrivateContainerd containerd = PrivateContainerd.start(dir.resolve("containerd"));
        try {
            LocalImages.ensure(containerd.socket(), dir.resolve("images"));
            double floor = floorMillis(containerd.socket());
            out.put("pod_start_floor_ms", floor);
            try (Cluster c = new Cluster(dir, containerd.socket())) {
                double start = c.podStartMillis();
                out.put("pod_start_ms", start);
                out.put("pod_start_ratio", start / floor);
                out.put("pods100_running_s", c.manyPodsSeconds(MANY));
            }
        } finally {
            containerd.close();
            deleteTree(dir);
        }
        return out;
    }

    /** Median wall time of {@code ctr run --rm IMAGE id /bin/true}. */
    static double floorMillis(Path socket) throws IOException, RuntimeFailure {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i <= RUNS; i++) {
            String id = "floor-" + UUID.randomUUID().toString().substring(0, 8);
            long t0 = System.nanoTime();
            Process p;
            try {
                p = new ProcessBuilder("ctr", "--address", socket.toString(), "-n", "k8s.io", "run", "--rm",
                        LocalImages.BUSYBOX_IMAGE, id, "/bin/true").redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new RuntimeFailure("cannot run ctr (apt-get install containerd): " + e.getMessage(), e);
            }
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeFailure("interrupted while running ctr", e);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (code != 0) {
                throw new RuntimeFailure("ctr run failed (exit " + code + "): " + output.strip());
            }
            if (i > 0) {
                times.add(ms); // the first run warms caches
            }
        }
        return median(times);
    }

    /** A store, an API server and one agent over the containerd. */
    private static final class Cluster implements AutoCloseable {
        private final HazelcastStateStore store;
        private final ApiServer api;
        private final HttpApiClient client;
        private final CriRuntime runtime;
        private final NodeAgent agent;

        Cluster(Path dir, Path socket) throws RuntimeFailure {
            store = HazelcastStateStore.embedded(StoreConfig.defaults()
                    .withClusterName("bench-" + UUID.randomUUID()).withBackupCount(0));
            String token = UUID.randomUUID().toString();
            api = ApiServer.builder(store).bind("127.0.0.1", 0).adminToken(token).build().start();
            client = new HttpApiClient(api.url(), token, api.tls().map(t -> t.certificatePem()).orElse(null));
            runtime = new CriRuntime(socket, "bench-node");
            agent = new NodeAgent(AgentConfig.defaults("bench-node", 47000, dir.resolve("logs")), client, runtime);
            agent.start();
        }

        double podStartMillis() throws InterruptedException {
            List<Double> times = new ArrayList<>();
            for (int i = 0; i <= RUNS; i++) {
                String name = "single-" + i;
                long t0 = System.nanoTime();
                store.create(pod(name));
                awaitRunning(List.of(name), Duration.ofSeconds(60));
                double ms = (System.nanoTime() - t0) / 1e6;
                org.slf4j.LoggerFactory.getLogger(PodStartBenchmark.class).debug("pod {}: Running after {} ms", name,
                        Math.round(ms));
                if (i > 0) {
                    times.add(ms);
                }
                deleteAndWait(List.of(name));
            }
            return median(times);
        }

        double manyPodsSeconds(int n) throws InterruptedException {
            List<String> names = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                names.add("many-" + i);
                store.create(pod("many-" + i));
            }
            awaitRunning(names, Duration.ofMinutes(5));
            double s = (System.nanoTime() - t0) / 1e9;
            deleteAndWait(names);
            return s;
        }

        private static Pod pod(String name) {
            Container c = new Container("app", LocalImages.BUSYBOX_IMAGE, List.of("sleep", "3600"), null, null, null,
                    null, null);
            return new Pod(ObjectMeta.of("default", name), new PodSpec(List.of(c), "bench-node", "Always", 1L, null,
                    true), null);
        }

        /**
         * Waits until every named pod's status says Running with all containers running. Told by a watch on the
         * store, not by polling it: polling 100 pods every few milliseconds took a good part of the two cores
         * the agent and containerd need.
         */
        private void awaitRunning(List<String> names, Duration max) throws InterruptedException {
            Set<String> left = ConcurrentHashMap.newKeySet();
            left.addAll(names);
            Object changed = new Object();
            try (Watch w = store.watch(Kinds.POD, e -> {
                if (e.object() != null && running(e.object()) && left.remove(e.object().metadata().name())) {
                    synchronized (changed) {
                        changed.notifyAll();
                    }
                }
            })) {
                // pods that were Running before the watch began
                left.removeIf(n -> store.get(Kinds.POD, "default", n).map(Cluster::running).orElse(false));
                long deadline = System.nanoTime() + max.toNanos();
                synchronized (changed) {
                    while (!left.isEmpty()) {
                        long wait = (deadline - System.nanoTime()) / 1_000_000;
                        if (wait <= 0) {
                            throw new IllegalStateException(left.size() + " pods not Running after "
                                    + max.toSeconds() + "s");
                        }
                        changed.wait(Math.min(wait, 100));
                    }
                }
            }
        }

        private static boolean running(Pod p) {
            return Pod.RUNNING.equals(p.phase()) && p.status() != null
                    && p.status().containerStatuses().stream().allMatch(s -> s.state().running() != null);
        }

        private void deleteAndWait(List<String> names) throws InterruptedException {
            names.forEach(n -> store.delete(Kinds.POD, "default", n, null));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (runtime.listSandboxes().isEmpty()) {
                        return;
                    }
                } catch (RuntimeFailure e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                Thread.sleep(50);
            }
        }

        @Override
        public void close() {
            agent.shutdown(true, Duration.ofSeconds(30));
            runtime.close();
            client.close();
            api.close();
            store.close();
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Comparator.naturalOrder());
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String unit(String metric) {
        return metric.endsWith("_ms") ? "ms" : metric.endsWith("_s") ? "s" : "ratio";
    }

    private static String format(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
