package dev.capstan.dsl.internal;

import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.NumberLit;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whole numbers and durations as written, checked against their ranges (E010, E017). */
final class Numbers {
    /** Duration units and their length in milliseconds. */
    private static final Map<String, Long> UNITS = Map.of("ms", 1L, "s", 1000L, "m", 60_000L, "h", 3_600_000L);
    private static final List<String> UNIT_NAMES = List.of("ms", "s", "m", "h");
    private static final Pattern SHAPE = Pattern.compile("(-?[0-9]+(?:\\.[0-9]+)?)([a-zA-Z]*)");

    private Numbers() {
    }

    /** The whole number in {@code [min, max]}, or {@code fallback} after reporting E010. */
    static long whole(Reporter reporter, NumberLit n, String what, long min, long max, long fallback) {
        BigDecimal value;
        try {
            value = new BigDecimal(n.text());
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null || value.stripTrailingZeros().scale() > 0) {
            reporter.report(ErrorCode.E010, n.location(), what + " must be a whole number, got '" + n.text() + "'",
                    null);
            return fallback;
        }
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            reporter.report(ErrorCode.E010, n.location(), what + " must be between " + min + " and " + max
                    + ", got " + n.text(), null);
            return fallback;
        }
        return value.longValueExact();
    }

    /**
     * A duration ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}) as whole seconds in {@code [min, max]},
     * or null after reporting E017 or E010.
     */
    static Long seconds(Reporter reporter, NumberLit n, String what, long min, long max) {
        Matcher m = SHAPE.matcher(n.text());
        if (!m.matches()) {
            reporter.report(ErrorCode.E017, n.location(), "invalid duration '" + n.text() + "'",
                    "write a number and a unit: 500ms, 5s, 2m, 1h");
            return null;
        }
        String unit = m.group(2);
        if (unit.isEmpty()) {
            reporter.report(ErrorCode.E017, n.location(), what + " needs a unit: '" + n.text() + "'",
                    "did you mean " + n.text() + "s?");
            return null;
        }
        Long scale = UNITS.get(unit);
        if (scale == null) {
            String hint = Suggest.closest(unit, UNIT_NAMES).map(u -> "did you mean " + m.group(1) + u + "? ")
                    .orElse("");
            reporter.report(ErrorCode.E017, n.location(), "unknown duration unit '" + unit + "' in '" + n.text()
                    + "'", hint + "units are ms, s, m and h");
            return null;
        }
        BigDecimal millis = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(scale));
        BigDecimal[] split = millis.divideAndRemainder(BigDecimal.valueOf(1000));
        if (split[1].signum() != 0) {
            BigDecimal up = split[0].add(BigDecimal.valueOf(millis.signum()));
            reporter.report(ErrorCode.E017, n.location(), what + " must be a whole number of seconds, got '"
                    + n.text() + "'", "Kubernetes counts these in seconds: write " + up.max(BigDecimal.ONE) + "s");
            return null;
        }
        BigDecimal secs = split[0];
        if (secs.compareTo(BigDecimal.valueOf(min)) < 0 || secs.compareTo(BigDecimal.valueOf(max)) > 0) {
            reporter.report(ErrorCode.E010, n.location(), what + " must be between " + min + "s and " + max
                    + "s, got " + n.text(), null);
            return null;
        }
        return secs.longValueExact();
    }
}
