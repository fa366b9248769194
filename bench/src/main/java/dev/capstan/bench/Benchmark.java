package dev.capstan.bench;

import java.util.List;

/**
 * One benchmark that {@code bench/run NAME} can run.
 *
 * <p>Contract: {@link #run} prints its metrics through the {@link Report} (each metric once, named as the
 * issue that asked for it names it), then one summary line, and reports progress on stderr. It measures and
 * reports; it never fails because a number misses its target. It throws {@link BenchmarkFailure} when it
 * cannot measure what it claims to (the generated input does not compile, the system never gets there),
 * and stops everything it started before returning or throwing, processes included.
 */
public interface Benchmark {

    /** The name given to {@code bench/run}: lowercase words joined by '-'. */
    String name();

    /** One line for {@code bench/run --list}. */
    String description();

    /** The {@code --key value} options it takes, with their defaults. */
    List<Option> options();

    void run(Options options, Report report) throws Exception;

    /**
     * An option of a benchmark.
     *
     * @param key          without the leading dashes
     * @param defaultValue as it would be typed
     * @param help         one line
     */
    record Option(String key, String defaultValue, String help) {
    }
}
