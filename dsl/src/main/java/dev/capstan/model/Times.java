package dev.capstan.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as Kubernetes writes them: RFC 3339, UTC, whole seconds (Time) or microseconds (MicroTime). */
public final class Times {
    private Times() {
    }

    public static String now() {
        return format(Instant.now());
    }

    public static String format(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static String nowMicro() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
    }

    /** Parses either form; null in, null out. */
    public static Instant parse(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
