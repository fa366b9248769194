package dev.capstan.model;

/**
 * Kubernetes resource quantities: CPU in cores or millicores ({@code 2}, {@code 0.5}, {@code 100m}),
 * memory in bytes with binary ({@code Ki Mi Gi Ti}) or decimal ({@code k M G T}) suffixes.
 */
public final class Quantity {
    private Quantity() {
    }

    /** Millicores; throws IllegalArgumentException with a readable message on bad input. */
    public static long parseCpuMillis(String q) {
        String s = q.trim();
        try {
            if (s.endsWith("m")) {
                return Long.parseLong(s.substring(0, s.length() - 1));
            }
            return Math.round(Double.parseDouble(s) * 1000);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CPU quantity: '" + q + "' (expected e.g. 100m or 2)");
        }
    }

    /** Bytes; throws IllegalArgumentException with a readable message on bad input. */
    public static long parseBytes(String q) {
        String s = q.trim();
        String[] suffixes = {"Ki", "Mi", "Gi", "Ti", "k", "M", "G", "T"};
        long[] factors = {1L << 10, 1L << 20, 1L << 30, 1L << 40, 1_000L, 1_000_000L, 1_000_000_000L,
            1_000_000_000_000L};
        try {
            for (int i = 0; i < suffixes.length; i++) {
                if (s.endsWith(suffixes[i])) {
                    String num = s.substring(0, s.length() - suffixes[i].length());
                    return Math.round(Double.parseDouble(num) * factors[i]);
                }
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a memory quantity: '" + q + "' (expected e.g. 32Mi or 1Gi)");
        }
    }

    public static String formatCpu(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    public static String formatBytes(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + "Gi";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "Mi";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + "Ki";
        }
        return Long.toString(bytes);
    }
}
