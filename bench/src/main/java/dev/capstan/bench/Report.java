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
    private final long[] cpuAtStart;

    Report(String benchmark, PrintStream out, PrintStream err) {
        this.benchmark = benchmark;
        this.out = out;
        this.err = err;
        this.loadAtStart = loadAverage();
        this.cpuAtStart = cpuTicks();
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
     * The one summary line, last. It ends with the machine's cores, load average at the start and now, and on a
     * virtual machine the share of CPU time the host took back (steal) while the benchmark ran: other work on
     * the machine, or on its host, moves every number here.
     */
    public synchronized void summary(String line) {
        out.println(benchmark + ": " + line + " [" + Runtime.getRuntime().availableProcessors() + " cores, load "
                + loadAtStart + " at start, " + loadAverage() + " at end" + steal(cpuAtStart, cpuTicks()) + "]");
        out.flush();
    }

    /** {@code ", steal N%"} between two readings of /proc/stat's cpu line; empty when unknown or none. */
    static String steal(long[] before, long[] after) {
        if (before == null || after == null) {
            return "";
        }
        long total = 0;
        for (int i = 0; i < Math.min(before.length, after.length); i++) {
            total += after[i] - before[i];
        }
        long stolen = after.length > 7 && before.length > 7 ? after[7] - before[7] : 0;
        return total <= 0 || stolen <= 0 ? "" : ", steal " + Math.round(100.0 * stolen / total) + "%";
    }

    /** The aggregate cpu line of /proc/stat (user nice system idle iowait irq softirq steal ...), or null. */
    static long[] cpuTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long[] out = new long[Math.min(8, f.length - 1)];
            for (int i = 0; i < out.length; i++) {
                out[i] = Long.parseLong(f[i + 1]);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
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
