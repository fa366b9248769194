package dev.capstan.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a benchmark says what it measured: {@code BENCH <metric> <value> <unit>} lines and one summary line
 * on stdout (what scripts read), progress on stderr (what people watch). Thread-safe.
 */
public final class Report {
    private final PrintStream out;
    private final PrintStream err;
    private final String benchmark;
    private final String loadAtStart;

    Report(String benchmark, PrintStream out, PrintStream err) {
        this.benchmark = benchmark;
        this.out = out;
        this.err = err;
        this.loadAtStart = loadAverage();
    }

    /** A metric with a fractional value, printed with {@code decimals} digits after the point. */
    public synchronized void metric(String name, double value, int decimals, String unit) {
        out.println("BENCH " + name + " " + String.format(Locale.ROOT, "%." + decimals + "f", value) + " " + unit);
        out.flush();
    }

    /** A metric that is a count. */
    public synchronized void metric(String name, long value, String unit) {
        out.println("BENCH " + name + " " + value + " " + unit);
        out.flush();
    }

    /**
     * The one summary line, last. It ends with the machine's cores and load average at the start and now:
     * other work on the machine moves every number here.
     */
    public synchronized void summary(String line) {
        out.println(benchmark + ": " + line + " [" + Runtime.getRuntime().availableProcessors() + " cores, load "
                + loadAtStart + " at start, " + loadAverage() + " at end]");
        out.flush();
    }

    /** A progress line for people, on stderr. */
    public synchronized void progress(String line) {
        err.println("bench " + benchmark + ": " + line);
        err.flush();
    }

    /** The 1-minute load average from /proc/loadavg, or "?" where there is none. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** Formats a number for a summary or progress line. */
    public static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
