package dev.capstan.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code bench/run NAME [--key value ...]}, {@code bench/run --list}, {@code bench/run --help [NAME]}.
 * Exit 0 when the benchmark ran (whatever it measured), 1 when it could not measure, 2 on bad input.
 */
public final class Main {
    static final List<Benchmark> BENCHMARKS = List.of(new CompileBenchmark(), new SyncLatencyBenchmark(),
            new ScheduleBenchmark(), new PodStartBenchmark(), new PlanBenchmark(),
            new ProxyBenchmark(), new AdmissionBenchmark());

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("bench: name a benchmark: " + names());
            err.print(usage());
            return 2;
        }
        String first = args[0];
        if (first.equals("--list") || first.equals("list")) {
            int width = BENCHMARKS.stream().mapToInt(b -> b.name().length()).max().orElse(0);
            for (Benchmark b : BENCHMARKS) {
                out.println(String.format("%-" + width + "s  %s", b.name(), b.description()));
            }
            return 0;
        }
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            if (args.length > 1) {
                Optional<Benchmark> b = find(args[1]);
                if (b.isEmpty()) {
                    err.println(unknown(args[1]));
                    return 2;
                }
                out.print(help(b.get()));
            } else {
                out.print(usage());
            }
            return 0;
        }
        Optional<Benchmark> found = find(first);
        if (found.isEmpty()) {
            err.println(unknown(first));
            return 2;
        }
        Benchmark benchmark = found.get();
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(help(benchmark));
            return 0;
        }
        Report report = new Report(benchmark.name(), out, err);
        try {
            Options options = Options.parse(benchmark.options(), rest);
            report.progress("options: " + options.describe());
            benchmark.run(options, report);
            return 0;
        } catch (UsageError e) {
            err.println("bench " + benchmark.name() + ": " + e.getMessage() + " (bench/run " + benchmark.name()
                    + " --help lists the options)");
            return 2;
        } catch (BenchmarkFailure e) {
            err.println("bench " + benchmark.name() + ": FAILED: " + e.getMessage());
            if (e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
            return 1;
        } catch (Exception e) {
            err.println("bench " + benchmark.name() + ": FAILED with an unexpected error:");
            e.printStackTrace(err);
            return 1;
        }
    }

    private static Optional<Benchmark> find(String name) {
        return BENCHMARKS.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    private static String names() {
        return String.join(", ", BENCHMARKS.stream().map(Benchmark::name).toList());
    }

    private static String unknown(String name) {
        return "bench: unknown benchmark '" + name + "'; the benchmarks are: " + names() + " (bench/run --list)";
    }

    static String usage() {
        return """
                usage: bench/run NAME [--key value ...]   run one benchmark: BENCH lines and a summary on stdout
                       bench/run --list                   the benchmarks, one line each
                       bench/run --help [NAME]            this text, or one benchmark's options
                benchmarks: %s
                """.formatted(names());
    }

    static String help(Benchmark b) {
        StringBuilder s = new StringBuilder("bench/run " + b.name() + ": " + b.description() + "\noptions:\n");
        int width = b.options().stream().mapToInt(o -> o.key().length() + o.defaultValue().length()).max().orElse(0) + 4;
        for (Benchmark.Option o : b.options()) {
            s.append(String.format("  %-" + width + "s %s%n", "--" + o.key() + " " + o.defaultValue(), o.help()));
        }
        return s.toString();
    }
}
