package dev.capstan.engine.scheduler;

/**
 * How the default profile scores a node's resources, chosen per cluster: {@link #LEAST_ALLOCATED} spreads
 * pods over the emptiest nodes (the default); {@link #MOST_ALLOCATED} packs them onto the fullest nodes
 * that still fit, leaving whole nodes free.
 */
public enum ScoringStrategy {
    LEAST_ALLOCATED, MOST_ALLOCATED;

    /** Parses {@code LeastAllocated}/{@code MostAllocated} (any case, dashes or underscores allowed). */
    public static ScoringStrategy parse(String s) {
        String k = s == null ? "" : s.replace("-", "").replace("_", "").toLowerCase(java.util.Locale.ROOT);
        return switch (k) {
            case "leastallocated", "spread" -> LEAST_ALLOCATED;
            case "mostallocated", "binpack" -> MOST_ALLOCATED;
            default -> throw new IllegalArgumentException("unknown scoring strategy '" + s
                    + "' (use LeastAllocated or MostAllocated)");
        };
    }
}
