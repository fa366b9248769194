package dev.capstan.bench;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.gitsync.GitSource;
import dev.capstan.gitsync.plan.ClusterSnapshot;
import dev.capstan.gitsync.plan.NodesFile;
import dev.capstan.gitsync.plan.Plan;
import dev.capstan.gitsync.plan.PlanComputer;
import dev.capstan.gitsync.plan.PlanJson;
import dev.capstan.gitsync.plan.PlanMarkdown;
import dev.capstan.gitsync.plan.PlanSide;
import dev.capstan.gitsync.plan.PlanText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code plan}: how long {@code capstan plan} takes on a large repository — reading both commits from Git,
 * compiling both, diffing, simulating placement of every new pod on a nodes file with the real scheduler,
 * and rendering text, Markdown and JSON — in-process (first and warm) and as a whole fresh {@code java}
 * process, as a CI job runs it.
 *
 * <p>The head commit scales one service per file, bumps an image in every fourth file, deletes one file
 * of services and adds ten new services, one of which cannot fit anywhere.
 */
final class PlanBenchmark implements Benchmark {
    private static final Pattern REPLICAS = Pattern.compile("replicas (\\d+)");

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public String description() {
        return "capstan plan on a generated repository of 1,000 services with a nodes file: in-process and cold";
    }

    @Override
    public List<Option> options() {
        return List.of(
                new Option("services", "1000", "services in the generated repository"),
                new Option("files", "20", "files the services are spread over"),
                new Option("nodes", "200", "nodes in the nodes file (16 cpu, 64Gi each)"),
                new Option("seed", "1", "seed of the generator"),
                new Option("runs", "5", "warm in-process plans (the median is reported)"),
                new Option("cold-runs", "1", "fresh JVMs running `capstan plan` (the median is reported); 0 skips"));
    }

    @Override
    public void run(Options options, Report report) throws Exception {
        int services = options.integer("services", 10, 100_000);
        int files = options.integer("files", 2, services);
        int nodes = options.integer("nodes", 1, 100_000);
        long seed = options.longValue("seed");
        int runs = options.integer("runs", 1, 100);
        int coldRuns = options.integer("cold-runs", 0, 20);
        Path dir = Files.createTempDirectory("capstan-bench-plan-");
        try {
            Path repoDir = dir.resolve("repo");
            String base;
            String head;
            try (GitRepo repo = GitRepo.init(repoDir)) {
                CapRepoGenerator.generate(repoDir.resolve("deploy"), services, files, 10, seed);
                base = repo.commitAll("base: " + services + " services");
                mutate(repo, repoDir.resolve("deploy"), files);
                head = repo.commitAll("head: scale, bump images, drop a file, add ten services");
            }
            Path nodesFile = dir.resolve("nodes.yaml");
            StringBuilder y = new StringBuilder("nodes:\n");
            for (int i = 0; i < nodes; i++) {
                y.append(String.format(Locale.ROOT, "  - { name: node-%04d, cpu: \"16\", memory: 64Gi, "
                        + "labels: { topology.kubernetes.io/zone: zone-%c } }%n", i, 'a' + i % 3));
            }
            Files.writeString(nodesFile, y);
            GitSource source = new GitSource(repoDir, "deploy", "refs/heads/main");
            CapCompiler compiler = CompileBenchmark.compiler(services + 100);

            long t0 = System.nanoTime();
            Plan first = plan(source, base, head, nodesFile, compiler);
            double firstMs = (System.nanoTime() - t0) / 1e6;
            if (!first.valid() || first.changes().isEmpty() || first.placement() == null) {
                throw new BenchmarkFailure("the generated change did not plan as expected: " + first.outcome());
            }
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                System.gc();
                long s = System.nanoTime();
                plan(source, base, head, nodesFile, compiler);
                warm.add((System.nanoTime() - s) / 1e6);
            }
            List<Double> cold = new ArrayList<>();
            for (int i = 0; i < coldRuns; i++) {
                cold.add(coldRun(repoDir, base, head, nodesFile));
            }
            report.metric("plan_first_ms", firstMs, 0, "ms");
            report.metric("plan_warm_ms", Stats.median(warm), 0, "ms");
            if (!cold.isEmpty()) {
                report.metric("plan_cold_s", Stats.median(cold), 2, "s");
            }
            report.metric("plan_changes", first.changes().size(), "objects");
            report.metric("plan_new_pods", first.placement().newPods(), "pods");
            report.metric("plan_unschedulable_pods", first.placement().unschedulable(), "pods");
            report.summary(String.format(Locale.ROOT, "plan of %d services (%d changed objects, %d new pods on %d "
                            + "nodes): first %.0f ms, warm %.0f ms%s", services, first.changes().size(),
                    first.placement().newPods(), nodes, firstMs, Stats.median(warm),
                    cold.isEmpty() ? "" : String.format(Locale.ROOT, ", cold process %.2f s", Stats.median(cold))));
        } finally {
            TempDirs.delete(dir, report);
        }
    }

    private static Plan plan(GitSource source, String base, String head, Path nodesFile, CapCompiler compiler)
            throws Exception {
        ClusterSnapshot snapshot = NodesFile.read(nodesFile);
        Plan p = new PlanComputer(compiler, null).compute(PlanSide.read(source, base), PlanSide.read(source, head),
                source.path(), snapshot);
        if (PlanText.render(p).isEmpty() || PlanMarkdown.render(p).isEmpty() || PlanJson.render(p).isEmpty()) {
            throw new BenchmarkFailure("a renderer returned nothing");
        }
        return p;
    }

    /** Scales the first service of every file, bumps an image in every fourth, drops the last file, adds ten. */
    private static void mutate(GitRepo repo, Path deploy, int files) throws Exception {
        for (int f = 0; f < files - 1; f++) {
            Path file = deploy.resolve("services").resolve(String.format(Locale.ROOT, "part-%03d.cap", f));
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Matcher m = REPLICAS.matcher(text);
            if (m.find()) {
                text = text.substring(0, m.start()) + "replicas " + (Integer.parseInt(m.group(1)) + 2)
                        + text.substring(m.end());
            }
            if (f % 4 == 0) {
                text = text.replaceFirst("capstan\\.local/busybox:1\\.35", "capstan.local/busybox:1.36");
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        repo.remove(String.format(Locale.ROOT, "deploy/services/part-%03d.cap", files - 1));
        StringBuilder added = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            added.append("service added-").append(i).append(" in team-0").append(i % 10).append(" {\n")
                    .append("  image \"capstan.local/busybox:1.36\"\n  replicas 2\n")
                    .append("  resources { cpu 200m  memory ").append(i == 0 ? "128Gi" : "256Mi").append(" }\n}\n");
        }
        repo.write("deploy/services/added.cap", added.toString());
    }

    private static double coldRun(Path repoDir, String base, String head, Path nodesFile) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.capstan.cli.Main", "plan", "--repo",
                repoDir.resolve("deploy").toString(), "--base", base, "--head", head, "--nodes", nodesFile.toString(),
                "--format", "json");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new BenchmarkFailure("a cold plan did not finish in 5 minutes");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 1 || !text.contains("\"version\" : 1")) {
            throw new BenchmarkFailure("the cold plan failed (exit " + p.exitValue() + "):\n"
                    + text.lines().limit(20).reduce("", (a, b) -> a + b + "\n"));
        }
        return s;
    }
}
