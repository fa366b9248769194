package dev.capstan.dsl.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** "Did you mean ...?": the nearest candidate by edit distance, if it is near enough to be a typo. */
final class Suggest {
    /** Words people write for an attribute, mapped to the attribute. */
    private static final Map<String, String> ALIASES = Map.of(
            "environment", "env", "cmd", "command", "arguments", "args", "instances", "replicas",
            "ports", "port", "label", "labels", "resource", "resources", "ns", "namespace");

    private Suggest() {
    }

    /** The candidate nearest to {@code word} (case-insensitively), when it is a plausible misspelling. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        String alias = ALIASES.get(w);
        if (alias != null && candidates.contains(alias)) {
            return Optional.of(alias);
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            int allowed = Math.max(w.length(), c.length()) <= 4 ? 1 : 2;
            if (d <= allowed && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one each. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 64 || b.length() > 64) {
            return Integer.MAX_VALUE;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
