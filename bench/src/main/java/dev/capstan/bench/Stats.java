package dev.capstan.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics of measured samples. */
public final class Stats {
    private Stats() {
    }

    /** The median; for an even count, the mean of the two middle samples. */
    public static double median(List<Double> samples) {
        List<Double> s = sorted(samples);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /**
     * The nearest-rank percentile: the smallest sample that at least {@code p} percent of the samples are
     * less than or equal to. With 50 samples p99 is the largest of them.
     */
    public static double percentile(List<Double> samples, double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile out of range: " + p);
        }
        List<Double> s = sorted(samples);
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(rank, 1) - 1);
    }

    public static double min(List<Double> samples) {
        return sorted(samples).get(0);
    }

    public static double max(List<Double> samples) {
        List<Double> s = sorted(samples);
        return s.get(s.size() - 1);
    }

    private static List<Double> sorted(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        return s;
    }
}
