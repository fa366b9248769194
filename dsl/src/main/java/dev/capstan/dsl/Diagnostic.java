package dev.capstan.dsl;

/**
 * One problem found in the sources, at a position a user can go to.
 *
 * @param severity error or warning
 * @param code     a stable code from {@link ErrorCode}, e.g. {@code E002}
 * @param path     the {@link SourceFile#path()} it is in
 * @param line     1-based line
 * @param column   1-based column, counted in Unicode code points (a tab counts as one)
 * @param message  what is wrong, one line, no trailing period
 * @param hint     how to fix it, one line, or null when there is nothing useful to add
 */
public record Diagnostic(Severity severity, String code, String path, int line, int column, String message,
                         String hint) {

    /** {@code path:line:column}, the form editors and terminals make clickable. */
    public String location() {
        return path + ":" + line + ":" + column;
    }

    /** The headline: {@code error[E012] services/shop.cap:12:7: unknown service 'db'}. */
    public String format() {
        return severity.label() + "[" + code + "] " + location() + ": " + message;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return hint == null ? format() : format() + " (hint: " + hint + ")";
    }
}
