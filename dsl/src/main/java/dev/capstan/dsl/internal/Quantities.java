package dev.capstan.dsl.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks cpu and memory quantities as written; each method returns null when valid, else the problem. */
final class Quantities {
    /** What is wrong and how to fix it. */
    record Problem(String message, String hint) {
    }

    static final List<String> MEMORY_UNITS = List.of("Ki", "Mi", "Gi", "Ti", "k", "M", "G", "T");
    private static final String MEMORY_UNITS_TEXT = "units are Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T";
    private static final Pattern SHAPE = Pattern.compile("(-?)([0-9]+)(?:\\.([0-9]+))?([a-zA-Z]*)");
    private static final BigDecimal MAX_CORES = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal MAX_BYTES = BigDecimal.valueOf(1L << 60);

    private Quantities() {
    }

    static Problem cpu(String text) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            return new Problem("invalid cpu quantity '" + text + "'", "write cores (0.5, 2) or millicores (500m)");
        }
        String unit = m.group(4);
        String fraction = m.group(3);
        if (!m.group(1).isEmpty()) {
            return new Problem("cpu must not be negative", null);
        }
        BigDecimal cores;
        if (unit.equals("m")) {
            if (fraction != null) {
                return new Problem("millicores are whole numbers: '" + text + "'",
                        "did you mean " + m.group(2) + "m?");
            }
            cores = new BigDecimal(m.group(2)).movePointLeft(3);
        } else if (unit.isEmpty()) {
            if (fraction != null && fraction.length() > 3) {
                return new Problem("cpu is counted in steps of 1m (0.001 cores): '" + text + "'",
                        "write millicores, e.g. 500m");
            }
            cores = new BigDecimal(text);
        } else {
            return new Problem("unknown cpu unit '" + unit + "' in '" + text + "'",
                    "write cores (0.5, 2) or millicores (500m)");
        }
        if (cores.compareTo(MAX_CORES) > 0) {
            return new Problem("cpu quantity '" + text + "' is too large", "the limit is 1000000 cores");
        }
        return null;
    }

    static Problem memory(String text) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            return new Problem("invalid memory quantity '" + text + "'", "write it like 32Mi or 1Gi");
        }
        String unit = m.group(4);
        String number = text.substring(0, text.length() - unit.length());
        if (!m.group(1).isEmpty()) {
            return new Problem("memory must not be negative", null);
        }
        if (unit.isEmpty()) {
            return new Problem("memory needs a unit: '" + text + "'", "did you mean " + number + "Mi?");
        }
        if (!MEMORY_UNITS.contains(unit)) {
            String guess = guessUnit(unit);
            return new Problem("unknown memory unit '" + unit + "' in '" + text + "'",
                    guess == null ? MEMORY_UNITS_TEXT : "did you mean " + number + guess + "? (" + MEMORY_UNITS_TEXT + ")");
        }
        int index = MEMORY_UNITS.indexOf(unit);
        BigDecimal factor = index < 4 ? BigDecimal.valueOf(1024).pow(index + 1) : BigDecimal.valueOf(1000).pow(index - 3);
        if (new BigDecimal(number).multiply(factor).compareTo(MAX_BYTES) > 0) {
            return new Problem("memory quantity '" + text + "' is too large", "the limit is 1024Pi");
        }
        return null;
    }

    /** "MB" and "mb" give "Mi": what people usually mean. */
    private static String guessUnit(String unit) {
        char first = unit.toUpperCase(Locale.ROOT).charAt(0);
        return "KMGT".indexOf(first) >= 0 ? first + "i" : null;
    }
}
