package dev.capstan.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.capstan.cli.up.AllInOne;
import dev.capstan.cli.up.UpOptions;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.Watch;
import dev.capstan.gitsync.GitSyncException;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.node.runtime.RuntimeFailure;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * {@code sync-latency}: how long a commit takes to reach the cluster, through the whole of {@code capstan up}
 * in this process (embedded Hazelcast, controllers, scheduler, HTTPS API, node agents over HTTP, git-sync) on a
 * real Git repository. Git-sync polls once an hour, so only {@code syncNow()} (what a webhook does) starts a
 * sync.
 *
 * <p>Metrics: {@code sync_stored_p50_ms} and {@code sync_stored_p99_ms}, from a commit (made, then
 * {@code syncNow()}) to the changed Deployment being visible in the store with that commit's
 * {@code capstan.dev/commit} annotation and its replicas, over commits that each change one service's
 * replicas or environment; {@code sync_running_s}, from a commit that adds a service with 10 replicas to
 * 10 pods Running and ready (median of the runs).
 */
final class SyncLatencyBenchmark implements Benchmark {
    static final String NAMESPACE = "bench";
    static final String APP_DIR = "apps/bench";

    @Override
    public String name() {
        return "sync-latency";
    }

    @Override
    public String description() {
        return "commit to Deployment stored (p50, p99 ms) and to 10 pods Running (s), through the whole capstan up";
    }

    @Override
    public List<Option> options() {
        return List.of(
                new Option("runtime", "process", "process, containerd or auto"),
                new Option("commits", "50", "measured commits, each changing one service's replicas or env"),
                new Option("warmup", "5", "commits made first and not measured"),
                new Option("services", "20", "services in the followed repository, one file each"),
                new Option("service-replicas", "1", "replicas of each of those to start with (0: a large repository"
                        + " without pods; a scaled service then runs one)"),
                new Option("nodes", "2", "node agents"),
                new Option("seed", "1", "seed of the choice of service each commit changes"),
                new Option("replicas", "10", "replicas of the service added for sync_running_s"),
                new Option("running-runs", "3", "times a service is added and timed to Running (median reported)"),
                new Option("gap", "200ms", "pause after each commit is applied, before the next"),
                new Option("port-base", "45000", "first host port for pods; node N uses base+(N-1)*1000 onwards"),
                new Option("timeout", "60s", "longest wait for any one step before the benchmark fails"),
                new Option("capstan-output", "quiet", "quiet: capstan's output to a log shown on failure, its log at WARN;"
                        + " stderr: both on stderr"));
    }

    @Override
    public void run(Options options, Report report) throws Exception {
        Settings s = new Settings(options.choice("runtime", List.of("process", "containerd", "auto")),
                options.integer("commits", 1, 100_000), options.integer("warmup", 0, 100_000),
                options.integer("services", 1, 10_000), options.integer("service-replicas", 0, 5),
                options.integer("nodes", 1, 20), options.longValue("seed"),
                options.integer("replicas", 1, 200), options.integer("running-runs", 0, 100),
                options.duration("gap"), options.integer("port-base", 1024, 64535),
                options.duration("timeout"), options.choice("capstan-output", List.of("quiet", "stderr")));
        if (s.portBase() + s.nodes() * 1000 > 65536) {
            throw new UsageError("--port-base " + s.portBase() + " leaves too few ports for " + s.nodes()
                    + " nodes (each takes 1000)");
        }
        Path tmp = Files.createTempDirectory("capstan-bench-sync-");
        Path log = tmp.resolve("capstan.log");
        boolean quiet = s.output().equals("quiet");
        ch.qos.logback.classic.Logger capstanLog = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.capstan");
        Level level = capstanLog.getLevel();
        if (quiet) {
            capstanLog.setLevel(Level.WARN); // what each pod and controller does, hundreds of lines; warnings still show
        }
        try (PrintStream capstanOut = quiet ? new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)
                     : new PrintStream(new NoClose(System.err), true, StandardCharsets.UTF_8);
             GitRepo repo = GitRepo.init(tmp.resolve("repo"))) {
            try {
                new Session(s, report, repo, tmp, capstanOut).run();
            } catch (Exception e) {
                capstanOut.flush();
                if (quiet) {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                    report.progress("the last lines capstan printed:");
                    lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> report.progress("  | " + l));
                }
                throw e;
            }
        } finally {
            capstanLog.setLevel(level);
            TempDirs.delete(tmp, report);
        }
    }

    record Settings(String runtime, int commits, int warmup, int services, int serviceReplicas, int nodes, long seed,
                    int replicas, int runningRuns, Duration gap, int portBase, Duration timeout, String output) {
    }

    /** One run of the benchmark: a repository, a system following it, the measurements. */
    private static final class Session {
        private final Settings s;
        private final Report report;
        private final GitRepo repo;
        private final Path tmp;
        private final PrintStream capstanOut;
        private final SyncOutcomes syncs = new SyncOutcomes();
        private final int[] replicas;
        private final int[] revision;
        private AllInOne system;

        Session(Settings s, Report report, GitRepo repo, Path tmp, PrintStream capstanOut) {
            this.s = s;
            this.report = report;
            this.repo = repo;
            this.tmp = tmp;
            this.capstanOut = capstanOut;
            this.replicas = new int[s.services()];
            this.revision = new int[s.services()];
            Arrays.fill(replicas, s.serviceReplicas());
        }

        void run() throws Exception {
            repo.write(APP_DIR + "/namespace.cap", "namespace " + NAMESPACE + " {\n  labels { team = \"bench\" }\n}\n");
            for (int i = 0; i < s.services(); i++) {
                repo.write(servicePath(i), serviceText(i));
            }
            String initial = repo.commitAll("Add " + s.services() + " services");

            UpOptions up = new UpOptions(repo.dir().resolve(APP_DIR), s.nodes(), s.runtime(), null, Duration.ofHours(1),
                    "127.0.0.1", 0, tmp.resolve("kubeconfig"), tmp.resolve("state"), s.portBase(),
                    "bench-" + UUID.randomUUID(), Duration.ofSeconds(10)).withoutRefWatch(); // only syncNow() syncs
            report.progress("starting capstan up in this process (" + s.nodes() + " nodes, runtime " + s.runtime()
                    + ", state in " + tmp + ")");
            long t0 = System.nanoTime();
            try {
                system = AllInOne.start(up, capstanOut);
            } catch (GitSyncException | RuntimeFailure | IOException e) {
                throw new BenchmarkFailure("capstan did not start: " + e.getMessage(), e);
            }
            Thread hook = new Thread(system::close, "bench-stop-capstan");
            Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C stops the pods too
            try {
                system.onSync(syncs::add);
                report.progress("started in " + secs(System.nanoTime() - t0) + " s; runtime " + system.runtimeName());
                syncs.awaitApplied(initial, s.timeout());
                int pods = s.services() * s.serviceReplicas();
                awaitSteady(pods, "the first " + pods + " pods to run");
                report.progress("the initial " + pods + " pods run, " + secs(System.nanoTime() - t0)
                        + " s after start; measuring " + s.commits() + " commits after " + s.warmup() + " warm-up commits");

                List<Double> stored = measureStored();
                List<Double> running = measureRunning();

                double p50 = Stats.percentile(stored, 50);
                double p99 = Stats.percentile(stored, 99);
                report.metric("sync_stored_p50_ms", p50, 1, "ms");
                report.metric("sync_stored_p99_ms", p99, 1, "ms");
                if (!running.isEmpty()) {
                    report.metric("sync_running_s", Stats.median(running), 2, "s");
                }
                report.summary(String.format(Locale.ROOT, "runtime %s, %d nodes, %d services: commit to stored p50 %.1f ms,"
                                + " p99 %.1f ms (max of %d; target p99 <= 1000 ms)%s", system.runtimeName(), s.nodes(),
                        s.services(), p50, p99, stored.size(),
                        running.isEmpty() ? "; running skipped" : String.format(Locale.ROOT,
                                "; commit to %d pods Running %.2f s (median of %d; target <= 3 s)", s.replicas(),
                                Stats.median(running), running.size())));
            } finally {
                report.progress("stopping capstan and its pods");
                system.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or will run; close() is idempotent
                }
            }
        }

        /** Commits that each change one service; the time from commit to that Deployment in the store. */
        private List<Double> measureStored() throws Exception {
            List<Double> samples = new ArrayList<>();
            List<Double> applied = new ArrayList<>();
            Random pick = new Random(s.seed());
            int total = s.warmup() + s.commits();
            for (int i = 0; i < total; i++) {
                int svc = pick.nextInt(s.services()); // anywhere in the apply order, which is by name
                boolean scale = i % 2 == 0;
                String change;
                if (scale) {
                    replicas[svc] = replicas[svc] == s.serviceReplicas() ? s.serviceReplicas() + 1 : s.serviceReplicas();
                    change = "Scale " + serviceName(svc) + " to " + replicas[svc];
                } else {
                    revision[svc] = i + 1;
                    change = "Set REVISION of " + serviceName(svc) + " to " + revision[svc];
                }
                repo.write(servicePath(svc), serviceText(svc));
                String sha = repo.commitAll(change);
                StoreProbes.DeploymentAt probe = new StoreProbes.DeploymentAt(NAMESPACE, serviceName(svc), sha,
                        replicas[svc]);
                long t0;
                try (Watch w = system.store().watch(Kinds.DEPLOYMENT, probe)) {
                    t0 = System.nanoTime();
                    system.syncNow();
                    long seen = await(probe.seen, () -> "the Deployment " + NAMESPACE + "/" + serviceName(svc)
                            + " with commit " + sha.substring(0, 7) + " and " + replicas[svc] + " replicas to be stored; "
                            + "the store has " + describeDeployment(svc));
                    SyncOutcomes.Handled h = syncs.awaitApplied(sha, s.timeout());
                    if (i >= s.warmup()) {
                        samples.add((seen - t0) / 1e6);
                        applied.add((h.nanos() - t0) / 1e6);
                    }
                }
                int done = i + 1 - s.warmup();
                if (done > 0 && (done % 10 == 0 || done == s.commits())) {
                    report.progress(String.format(Locale.ROOT, "%d/%d commits: stored median %.1f ms, max %.1f ms; "
                                    + "whole revision applied median %.1f ms", done, s.commits(), Stats.median(samples),
                            Stats.max(samples), Stats.median(applied)));
                }
                sleep(s.gap());
            }
            return samples;
        }

        /** Adds a service with N replicas; the time from commit to N pods Running and ready. Then removes it. */
        private List<Double> measureRunning() throws Exception {
            List<Double> samples = new ArrayList<>();
            if (s.runningRuns() == 0) {
                return samples;
            }
            int steady = Arrays.stream(replicas).sum();
            awaitSteady(steady, "the pods of the earlier commits to settle");
            for (int run = 1; run <= s.runningRuns(); run++) {
                String name = "web-" + run;
                String path = APP_DIR + "/" + name + ".cap";
                repo.write(path, """
                        service %s in %s {
                          image    "capstan.local/busybox:1.35"
                          command  ["sh", "-c", "exec httpd -f -p $PORT -h ."]
                          replicas %d
                          port http 8080
                          resources {
                            cpu    10m
                            memory 16Mi
                          }
                        }
                        """.formatted(name, NAMESPACE, s.replicas()));
                String sha = repo.commitAll("Add " + name + " with " + s.replicas() + " replicas");
                StoreProbes.PodsReady probe = new StoreProbes.PodsReady(NAMESPACE, name, s.replicas());
                String stages;
                long t0;
                try (Watch w = system.store().watch(Kinds.POD, probe)) {
                    t0 = System.nanoTime();
                    system.syncNow();
                    long seen = await(probe.seen, () -> s.replicas() + " pods of " + name + " to be Running and ready; "
                            + describePods());
                    samples.add((seen - t0) / 1e9);
                    stages = String.format(Locale.ROOT, "created %.2f s, bound %.2f s, Running and ready %.2f s",
                            (probe.created.getNow(seen) - t0) / 1e9, (probe.bound.getNow(seen) - t0) / 1e9, (seen - t0) / 1e9);
                }
                syncs.awaitApplied(sha, s.timeout());
                long ready = system.store().list(Kinds.POD, NAMESPACE).stream()
                        .filter(p -> name.equals(p.metadata().label("app")) && StoreProbes.isRunningAndReady(p)).count();
                if (ready < s.replicas()) {
                    throw new BenchmarkFailure("the watch saw " + s.replicas() + " pods of " + name
                            + " Running and ready, the store lists " + ready);
                }
                report.progress(String.format(Locale.ROOT, "run %d/%d: %d pods of %s after the commit: %s; "
                        + "commit applied %.2f s", run, s.runningRuns(), s.replicas(), name, stages,
                        (syncs.awaitApplied(sha, s.timeout()).nanos() - t0) / 1e9));

                repo.remove(path);
                String removed = repo.commitAll("Remove " + name);
                system.syncNow();
                syncs.awaitApplied(removed, s.timeout());
                awaitSteady(steady, "the pods of " + name + " to stop");
            }
            return samples;
        }

        /** Waits until the namespace holds exactly {@code pods} pods, all Running and ready, none terminating. */
        private void awaitSteady(int pods, String what) throws BenchmarkFailure, InterruptedException {
            long deadline = System.nanoTime() + s.timeout().toNanos();
            while (true) {
                List<Pod> all = system.store().list(Kinds.POD, NAMESPACE);
                if (all.size() == pods && all.stream().allMatch(StoreProbes::isRunningAndReady)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new BenchmarkFailure("waited " + s.timeout().toSeconds() + " s for " + what + "; "
                            + describePods());
                }
                Thread.sleep(100);
            }
        }

        private long await(CompletableFuture<Long> seen, Supplier<String> what)
                throws BenchmarkFailure, InterruptedException, ExecutionException {
            try {
                return seen.get(s.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new BenchmarkFailure("waited " + s.timeout().toSeconds() + " s for " + what.get());
            }
        }

        private String describeDeployment(int svc) {
            return system.store().get(Kinds.DEPLOYMENT, NAMESPACE, serviceName(svc))
                    .map(d -> "commit " + String.valueOf(d.metadata().annotation(ObjectMeta.COMMIT)) + ", replicas "
                            + (d.spec() == null ? "?" : d.spec().replicas()))
                    .orElse("no such Deployment");
        }

        private String describePods() {
            List<Pod> all = system.store().list(Kinds.POD, NAMESPACE);
            long ready = all.stream().filter(StoreProbes::isRunningAndReady).count();
            long terminating = all.stream().filter(p -> p.metadata().deletionTimestamp() != null).count();
            List<String> odd = all.stream().filter(p -> !StoreProbes.isRunningAndReady(p)).limit(5)
                    .map(p -> p.metadata().name() + " " + p.phase() + (p.status() != null && p.status().message() != null
                            ? " (" + p.status().message() + ")" : "")).toList();
            return "the store has " + all.size() + " pods in " + NAMESPACE + ", " + ready + " Running and ready, "
                    + terminating + " terminating" + (odd.isEmpty() ? "" : "; e.g. " + odd);
        }

        private static String serviceName(int i) {
            return String.format(Locale.ROOT, "svc-%03d", i + 1);
        }

        private static String servicePath(int i) {
            return APP_DIR + "/" + serviceName(i) + ".cap";
        }

        /** A service that sleeps: cheap to run, so the pods it churns do not swamp the measurement. */
        private String serviceText(int i) {
            return """
                    service %s in %s {
                      image    "capstan.local/busybox:1.35"
                      command  ["sh", "-c", "exec sleep 86400"]
                      env {
                        REVISION = "%d"
                      }
                      replicas %d
                      resources {
                        cpu    10m
                        memory 16Mi
                      }
                    }
                    """.formatted(serviceName(i), NAMESPACE, revision[i], replicas[i]);
        }
    }

    private static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero()) {
            Thread.sleep(d.toMillis());
        }
    }

    /** Lets capstan write to stderr without closing it. */
    private static final class NoClose extends FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
