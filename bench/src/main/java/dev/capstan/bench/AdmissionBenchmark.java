package dev.capstan.bench;

import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.SourceFiles;
import dev.capstan.dsl.policy.PolicySet;
import dev.capstan.engine.admission.Admission;
import dev.capstan.engine.admission.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code admission}: the admission step of one revision, as git-sync runs it on every commit: compile the
 * policies (CEL type-checked), then evaluate them on every object of a generated repository of 10,000 services
 * (each service is seen as a service, a deployment and a pod; namespaces as namespaces).
 *
 * <p>Metrics: {@code admission_total_ms} (median over the measured runs of compile + evaluate, warm),
 * {@code admission_eval_p99_us} (99th percentile of one evaluation, one policy's rules on one object, over all
 * evaluations of the measured runs), {@code admission_evaluations}, {@code admission_verdicts}.
 */
final class AdmissionBenchmark implements Benchmark {

    @Override
    public String name() {
        return "admission";
    }

    @Override
    public String description() {
        return "20 CEL policies (the baseline library and generated ones) over a generated repository of 10,000 services";
    }

    @Override
    public List<Option> options() {
        return List.of(
                new Option("services", "10000", "services in the generated repository"),
                new Option("policies", "20", "policies: the baseline library (policies/baseline, when found), then "
                        + "generated ones up to this count"),
                new Option("baseline", "policies/baseline", "directory of the baseline library ('' to use none)"),
                new Option("seed", "1", "seed of the generator"),
                new Option("warmup", "3", "runs before measuring"),
                new Option("runs", "5", "measured runs (the median total is reported)"));
    }

    @Override
    public void run(Options options, Report report) throws Exception {
        int services = options.integer("services", 1, 1_000_000);
        int count = options.integer("policies", 1, 1000);
        String baseline = options.string("baseline");
        long seed = options.longValue("seed");
        int warmup = options.integer("warmup", 0, 100);
        int runs = options.integer("runs", 1, 100);

        Path dir = Files.createTempDirectory("capstan-bench-admission-");
        try {
            CapRepoGenerator.generate(dir, services, Math.max(1, services / 100), 10, seed);
            List<SourceFile> sources = SourceFiles.load(dir, dir);
            CompileResult repo = CompileBenchmark.compiler(services + 100).compile(sources);
            if (!repo.ok()) {
                throw new BenchmarkFailure("the generated repository does not compile:\n"
                        + DiagnosticRenderer.render(repo.errors().subList(0, Math.min(5, repo.errors().size())), sources));
            }
            List<SourceFile> policyFiles = new ArrayList<>();
            Path base = Path.of(baseline);
            if (!baseline.isEmpty() && Files.isDirectory(base)) {
                policyFiles.addAll(SourceFiles.load(base, base));
            } else if (!baseline.isEmpty()) {
                report.progress("note: " + baseline + " not found (run from the repository root); generated policies only");
            }
            PolicySet set = CompileBenchmark.compiler(100).compile(policyFiles).policies();
            int generated = Math.max(0, count - Math.min(count, set.policies().size()));
            String extra = generatedPolicies(generated);
            policyFiles.add(new SourceFile("generated-policies.cap", extra));
            CompileResult policies = CompileBenchmark.compiler(1000).compile(policyFiles);
            if (!policies.ok()) {
                throw new BenchmarkFailure("the policies do not compile:\n"
                        + DiagnosticRenderer.render(policies.errors(), policyFiles));
            }
            PolicySet all = policies.policies();
            PolicySet used = new PolicySet(all.policies().subList(0, Math.min(count, all.policies().size())), all.bindings(), all.exceptions(), List.of());
            report.progress(String.format(Locale.ROOT, "%d services, %d objects; %d policies (%d from %s, %d generated)",
                    services, repo.objects().size(), used.policies().size(),
                    used.policies().size() - Math.min(generated, used.policies().size()), baseline, generated));

            List<Double> totals = new ArrayList<>();
            List<Double> compiles = new ArrayList<>();
            List<Double> evaluations = new ArrayList<>();
            int verdicts = 0;
            // one slot per possible evaluation (each object seen as up to 3 kinds, by every policy): the
            // evaluations run on all cores, so the timings go into an array by an atomic index, not a list
            long[] times = new long[repo.objects().size() * 3 * used.policies().size()];
            AtomicInteger timed = new AtomicInteger();
            for (int i = 0; i < warmup + runs; i++) {
                boolean measured = i >= warmup;
                timed.set(0);
                long t0 = System.nanoTime();
                Admission admission = Admission.compile(used);
                long tc = System.nanoTime();
                if (!admission.ok()) {
                    throw new BenchmarkFailure("CEL errors in the policies:\n"
                            + DiagnosticRenderer.render(admission.diagnostics(), policyFiles));
                }
                List<Verdict> v = admission.evaluate(repo.objects(),
                        (policy, kind, nanos) -> times[timed.getAndIncrement()] = nanos);
                long t1 = System.nanoTime();
                verdicts = v.size();
                if (measured) {
                    for (int t = 0; t < timed.get(); t++) {
                        evaluations.add(times[t] / 1e3);
                    }
                    totals.add((t1 - t0) / 1e6);
                    compiles.add((tc - t0) / 1e6);
                }
            }
            double evalSum = evaluations.stream().mapToDouble(Double::doubleValue).sum() / 1e3 / runs;
            report.progress("time inside evaluations per run: " + Report.fmt(evalSum, 1) + " ms (on "
                    + Runtime.getRuntime().availableProcessors() + " cores)");
            report.progress("totals (ms): " + totals.stream().map(t -> Report.fmt(t, 1)).toList() + "; of which compiling "
                    + "the policies: " + compiles.stream().map(t -> Report.fmt(t, 1)).toList());
            double total = Stats.median(totals);
            double p99 = Stats.percentile(evaluations, 99);
            report.metric("admission_total_ms", total, 1, "ms");
            report.metric("admission_eval_p99_us", p99, 2, "us");
            report.metric("admission_evaluations", evaluations.size() / runs, "count");
            report.metric("admission_verdicts", verdicts, "count");
            report.summary(String.format(Locale.ROOT, "%d policies over %d services (%d evaluations per run): total %s ms "
                    + "(median of %d; target <= 1000), p99 %s us per evaluation (target <= 20), median %s us",
                    used.policies().size(), services, evaluations.size() / runs, Report.fmt(total, 1), runs,
                    Report.fmt(p99, 2), Report.fmt(Stats.median(evaluations), 2)));
        } finally {
            TempDirs.delete(dir, report);
        }
    }

    /** {@code n} policies of the kinds real ones have: label checks, comprehensions, params, namespace lookups. */
    static String generatedPolicies(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String body = switch (i % 4) {
                case 0 -> "applies-to service\n  params { max = " + (100 + i) + " }\n"
                        + "  deny if service.replicas > params.max message \"${service.name}: over ${params.max}\"";
                case 1 -> "applies-to service\n  deny if service.env.exists(k, k.startsWith(\"SECRET_" + i + "\"))"
                        + " message \"${service.name}: secrets go in a secret store\"";
                case 2 -> "applies-to deployment\n  deny if object.metadata.labels.exists(k, k == \"forbidden-" + i
                        + "\") message \"${object.metadata.name}: forbidden label\"";
                default -> "applies-to service\n  deny if \"cost-center\" in ns.labels && service.ports.exists(p, p.port == "
                        + (1 + i) + ") message \"${service.name}: port " + (1 + i) + "\"";
            };
            b.append("policy generated-").append(i).append(" {\n  description \"generated ").append(i).append("\"\n  ")
                    .append(body).append("\n}\n\n");
        }
        return b.toString();
    }
}
