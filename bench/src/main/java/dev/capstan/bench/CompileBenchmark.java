package dev.capstan.bench;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.SourceFiles;
import dev.capstan.model.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code compile}: how fast the {@code .cap} compiler is on a large repository, warm (the compiler inside a
 * running {@code capstan up}, which compiles every commit) and cold (a fresh JVM, as {@code capstan check}
 * or a CI job runs it).
 *
 * <p>Metrics: {@code compile_mb_per_s} (median over the measured in-process compiles, after warm-up
 * compiles; MB = 10^6 bytes of UTF-8 source), {@code compile_cold_s} (median wall time of a whole
 * {@code java} process that reads and compiles the repository, timed from outside), {@code compile_services}.
 */
final class CompileBenchmark implements Benchmark {

    @Override
    public String name() {
        return "compile";
    }

    @Override
    public String description() {
        return "compile a generated repository of 10,000 services: warm MB/s in-process, cold seconds in a fresh JVM";
    }

    @Override
    public List<Option> options() {
        return List.of(
                new Option("services", "10000", "services in the generated repository"),
                new Option("files", "100", "files the services are spread over (plus one file of namespaces)"),
                new Option("namespaces", "10", "namespaces the services are spread over"),
                new Option("seed", "1", "seed of the generator: the same seed gives the same repository"),
                new Option("warmup", "5", "in-process compiles before measuring"),
                new Option("runs", "7", "measured in-process compiles (the median is reported)"),
                new Option("cold-runs", "3", "fresh JVMs timed (the median is reported); 0 skips them"));
    }

    /** The compiler with the default limits, except that it takes {@code maxDeclarations} declarations. */
    static CapCompiler compiler(int maxDeclarations) {
        CapCompiler.Limits d = CapCompiler.Limits.DEFAULT;
        return new CapCompiler(new CapCompiler.Limits(d.maxFileChars(), d.maxTokensPerFile(), d.maxNesting(),
                Math.max(maxDeclarations, d.maxDeclarations()), d.maxErrorsPerFile()));
    }

    @Override
    public void run(Options options, Report report) throws Exception {
        int services = options.integer("services", 1, 1_000_000);
        int files = options.integer("files", 1, services);
        int namespaces = options.integer("namespaces", 1, 1000);
        long seed = options.longValue("seed");
        int warmup = options.integer("warmup", 0, 1000);
        int runs = options.integer("runs", 1, 1000);
        int coldRuns = options.integer("cold-runs", 0, 100);

        Path dir = Files.createTempDirectory("capstan-bench-compile-");
        try {
            CapRepoGenerator.Generated repo = CapRepoGenerator.generate(dir, services, files, namespaces, seed);
            int declarations = services + namespaces + CapRepoGenerator.TEMPLATES;
            report.progress(String.format("generated %d services in %d namespaces, %d files, %s MB, in %s",
                    services, namespaces, repo.files(), Report.fmt(repo.bytes() / 1e6, 2), dir));
            int defaultLimit = CapCompiler.Limits.DEFAULT.maxDeclarations();
            if (declarations > defaultLimit) {
                report.progress("note: " + declarations + " declarations exceed the compiler's default limit of "
                        + defaultLimit + " (namespaces count too); compiling with the limit raised to " + declarations);
            }
            CapCompiler compiler = compiler(declarations);
            List<SourceFile> sources = SourceFiles.load(dir, dir);

            // Warm: the same compiler instance, the same sources, again and again.
            long deployments = check(compiler.compile(sources), sources, services);
            for (int i = 1; i < warmup; i++) {
                check(compiler.compile(sources), sources, services);
            }
            report.progress("warmed up with " + Math.max(warmup, 1) + " compiles; measuring " + runs);
            List<Double> mbPerS = new ArrayList<>();
            List<Double> seconds = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                System.gc();
                long t0 = System.nanoTime();
                CompileResult result = compiler.compile(sources);
                long t1 = System.nanoTime();
                check(result, sources, services);
                double s = (t1 - t0) / 1e9;
                seconds.add(s);
                mbPerS.add(repo.bytes() / 1e6 / s);
            }
            report.progress("warm compiles (s): " + seconds.stream().map(s -> Report.fmt(s, 3)).toList());

            // Cold: a whole fresh JVM per run, timed from outside.
            List<Double> cold = new ArrayList<>();
            for (int i = 0; i < coldRuns; i++) {
                cold.add(coldRun(dir, declarations, services));
                report.progress("cold run " + (i + 1) + "/" + coldRuns + ": " + Report.fmt(cold.get(i), 2) + " s");
            }

            double warm = Stats.median(mbPerS);
            report.metric("compile_mb_per_s", warm, 2, "MB/s");
            if (!cold.isEmpty()) {
                report.metric("compile_cold_s", Stats.median(cold), 2, "s");
            }
            report.metric("compile_services", deployments, "count");
            report.summary(String.format("%d services, %s MB in %d files: warm %s MB/s (median of %d; target >= 5)%s",
                    services, Report.fmt(repo.bytes() / 1e6, 2), repo.files(), Report.fmt(warm, 2), runs,
                    cold.isEmpty() ? ", cold skipped" : ", cold " + Report.fmt(Stats.median(cold), 2)
                            + " s (median of " + coldRuns + "; target <= 3)"));
        } finally {
            TempDirs.delete(dir, report);
        }
    }

    /** Fails unless the compile succeeded and gave one Deployment per service; returns their number. */
    private static long check(CompileResult result, List<SourceFile> sources, int services) throws BenchmarkFailure {
        if (!result.ok()) {
            throw new BenchmarkFailure("the generated repository does not compile (has the language changed?); first errors:\n"
                    + DiagnosticRenderer.render(result.errors().subList(0, Math.min(5, result.errors().size())), sources));
        }
        long deployments = result.objects().stream().filter(o -> o instanceof Deployment).count();
        if (deployments != services) {
            throw new BenchmarkFailure("the generated repository compiled to " + deployments + " deployments, expected "
                    + services);
        }
        return deployments;
    }

    private static double coldRun(Path dir, int declarations, int services) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ColdCompile.class.getName(), dir.toString(),
                Integer.toString(declarations));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new BenchmarkFailure("a cold compile did not finish in 5 minutes");
        }
        long t1 = System.nanoTime();
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || !text.startsWith("services " + services + " ")) {
            throw new BenchmarkFailure("the cold compile failed (exit " + p.exitValue() + ", " + String.join(" ", command)
                    + "):\n" + text.strip());
        }
        return (t1 - t0) / 1e9;
    }
}
