package dev.capstan.gitsync.plan;

import java.util.ArrayList;
import java.util.List;

/** Aligned columns for the text plan: two spaces between columns, no trailing blanks. */
final class Columns {
    private final String indent;
    private final List<String[]> rows = new ArrayList<>();

    Columns(String indent) {
        this.indent = indent;
    }

    Columns row(String... cells) {
        rows.add(cells);
        return this;
    }

    void appendTo(StringBuilder out) {
        lines().forEach(l -> out.append(l).append('\n'));
    }

    /** The rows, aligned, one string each. */
    java.util.List<String> lines() {
        List<String> out = new ArrayList<>();
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.add(line.toString().stripTrailing());
        }
        return out;
    }
}
