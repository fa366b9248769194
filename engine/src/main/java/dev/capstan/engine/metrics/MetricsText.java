package dev.capstan.engine.metrics;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Prometheus' text exposition format (version 0.0.4), what {@code GET /metrics} serves: each family's {@code # HELP}
 * and {@code # TYPE} lines before its first sample, then one line per sample. Add the samples of one family
 * together (the format wants them grouped).
 */
public final class MetricsText {
    private final StringBuilder out = new StringBuilder();
    private final Set<String> declared = new HashSet<>();

    /** A counter or gauge sample; {@code labels} alternate names and values ({@code "service", "demo/web"}). */
    public MetricsText add(String name, Type type, String help, long value, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        if (declared.add(name)) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                    .append("# TYPE ").append(name).append(' ').append(type.name().toLowerCase(Locale.ROOT)).append('\n');
        }
        out.append(name);
        for (int i = 0; i < labels.length; i += 2) {
            out.append(i == 0 ? "{" : ",").append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
        }
        out.append(labels.length > 0 ? "} " : " ").append(value).append('\n');
        return this;
    }

    public MetricsText append(MetricsText other) {
        out.append(other.text());
        declared.addAll(other.declared);
        return this;
    }

    public String text() {
        return out.toString();
    }

    /** A label value with {@code \}, {@code "} and newlines escaped. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    public enum Type { COUNTER, GAUGE }
}
