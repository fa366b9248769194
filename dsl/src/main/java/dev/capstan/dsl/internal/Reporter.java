package dev.capstan.dsl.internal;

import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.Severity;
import dev.capstan.dsl.ast.Location;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects diagnostics of one compilation. After {@code maxErrorsPerFile} errors in a file it adds one
 * E090 saying so and drops the rest of that file's diagnostics. Thread-safe (files are parsed in parallel);
 * one per compilation.
 */
final class Reporter {
    private final int maxErrorsPerFile;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, Integer> errors = new HashMap<>();
    private final Set<String> stopped = new HashSet<>();
    /** A template's attribute is checked once per service that extends it; each problem is reported once. */
    private final Set<Diagnostic> reported = new HashSet<>();

    Reporter(int maxErrorsPerFile) {
        this.maxErrorsPerFile = Math.max(1, maxErrorsPerFile);
    }

    void report(ErrorCode code, Location at, String message, String hint) {
        report(code, at.path(), at.line(), at.column(), message, hint);
    }

    synchronized void report(ErrorCode code, String path, int line, int column, String message, String hint) {
        if (stopped.contains(path)) {
            return;
        }
        Diagnostic d = new Diagnostic(code.severity(), code.name(), path, line, column, message, hint);
        if (!reported.add(d)) {
            return;
        }
        diagnostics.add(d);
        if (code.severity() == Severity.ERROR) {
            int n = errors.merge(path, 1, Integer::sum);
            if (n >= maxErrorsPerFile) {
                stopped.add(path);
                diagnostics.add(new Diagnostic(Severity.ERROR, ErrorCode.E090.name(), path, line, column,
                        "too many errors in this file; stopped after " + n, "fix these and compile again"));
            }
        }
    }

    /** Adds a diagnostic found by a nested analysis (a policy test's example objects). */
    void forward(Diagnostic d) {
        ErrorCode code = ErrorCode.valueOf(d.code());
        report(code, d.path(), d.line(), d.column(), d.message(), d.hint());
    }

    /** True once the file has reached its error limit; work on it may stop. */
    synchronized boolean stopped(String path) {
        return stopped.contains(path);
    }

    synchronized boolean hasErrors() {
        return !errors.isEmpty();
    }

    synchronized List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
