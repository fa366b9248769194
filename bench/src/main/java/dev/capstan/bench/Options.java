package dev.capstan.bench;

import dev.capstan.cli.Durations;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --key value} options given to one benchmark, over its declared defaults. Parsing rejects keys
 * the benchmark does not declare; the typed getters reject values of the wrong shape, naming the option.
 */
public final class Options {

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code args} ({@code --key value} pairs) against {@code declared}. */
    static Options parse(List<Benchmark.Option> declared, List<String> args) throws UsageError {
        Map<String, String> values = new LinkedHashMap<>();
        declared.forEach(o -> values.put(o.key(), o.defaultValue()));
        Set<String> given = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String key;
            String value;
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageError("expected an option (--key value), found '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                key = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                key = arg.substring(2);
                if (i + 1 >= args.size()) {
                    throw new UsageError("--" + key + " needs a value");
                }
                value = args.get(++i);
            }
            if (!values.containsKey(key)) {
                throw new UsageError("unknown option --" + key + (declared.isEmpty() ? " (this benchmark takes none)"
                        : "; the options are " + String.join(", ", declared.stream().map(o -> "--" + o.key()).toList())));
            }
            if (!given.add(key)) {
                throw new UsageError("--" + key + " is given twice");
            }
            values.put(key, value);
        }
        return new Options(values);
    }

    public String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no option --" + key + " is declared");
        }
        return v;
    }

    /** An integer between {@code min} and {@code max} inclusive. */
    public int integer(String key, int min, int max) throws UsageError {
        String v = string(key);
        try {
            int n = Integer.parseInt(v.replace("_", "").replace(",", ""));
            if (n < min || n > max) {
                throw new UsageError("--" + key + " must be between " + min + " and " + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageError("--" + key + " must be a whole number, got '" + v + "'");
        }
    }

    public long longValue(String key) throws UsageError {
        String v = string(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageError("--" + key + " must be a whole number, got '" + v + "'");
        }
    }

    /** A duration written {@code 250ms}, {@code 5s}, {@code 2m} or {@code 1h}. */
    public Duration duration(String key) throws UsageError {
        String v = string(key);
        try {
            return Durations.parse(v);
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw new UsageError("--" + key + " must be a duration such as 250ms, 5s, 2m or 1h, got '" + v + "'");
        }
    }

    /** One of {@code allowed}. */
    public String choice(String key, List<String> allowed) throws UsageError {
        String v = string(key);
        if (!allowed.contains(v)) {
            throw new UsageError("--" + key + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return v;
    }

    /** Every option and its value, {@code key=value} separated by spaces, for the record. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }
}
