package dev.capstan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void listPrintsOneLinePerBenchmarkWithItsDescription() {
        assertThat(run("--list")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .hasSize(Main.BENCHMARKS.size())
                .anySatisfy(l -> assertThat(l).startsWith("compile ").contains("10,000 services"))
                .anySatisfy(l -> assertThat(l).startsWith("sync-latency "));
    }

    @Test
    void unknownBenchmarkExitsTwoListingTheNames() {
        assertThat(run("compiel")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown benchmark 'compiel'; the benchmarks are: compile, sync-latency");
        assertThat(out.size()).isZero();
    }

    @Test
    void noArgumentsExitsTwoWithUsage() {
        assertThat(run()).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: bench/run NAME");
    }

    @Test
    void helpOfABenchmarkListsItsOptionsWithDefaults() {
        assertThat(run("--help", "sync-latency")).isZero();
        assertThat(run("compile", "--help")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--commits 50", "--port-base 45000", "--services 10000");
    }

    @Test
    void badOptionExitsTwoBeforeRunning() {
        assertThat(run("compile", "--runs", "none")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--runs must be a whole number, got 'none'");
        assertThat(out.size()).isZero();
    }

    @Test
    void aSmallCompileRunPrintsTheMetricsAndASummary() {
        assertThat(run("compile", "--services", "40", "--files", "4", "--namespaces", "2", "--warmup", "1",
                "--runs", "1", "--cold-runs", "0")).as(err.toString(StandardCharsets.UTF_8)).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .satisfiesExactly(
                        l -> assertThat(l).matches("BENCH compile_mb_per_s [0-9.]+ MB/s"),
                        l -> assertThat(l).isEqualTo("BENCH compile_services 40 count"),
                        l -> assertThat(l).startsWith("compile: 40 services"));
    }
}
