package dev.capstan.dsl;

import java.util.Locale;

/** How bad a {@link Diagnostic} is. Any {@link #ERROR} rejects the compilation; warnings do not. */
public enum Severity {
    ERROR,
    WARNING;

    /** The word shown to users: {@code error} or {@code warning}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
