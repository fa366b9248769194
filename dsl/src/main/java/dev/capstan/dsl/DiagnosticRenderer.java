package dev.capstan.dsl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows diagnostics the way a terminal user reads them: the headline, the source line, a caret under
 * the column and the hint, if any.
 *
 * <pre>
 * error[E002] examples/hello/hello.cap:9:3: unknown attribute 'replica'
 *   |   replica 3
 *   |   ^
 *   = hint: did you mean 'replicas'?
 * </pre>
 *
 * Tabs before the column are kept so the caret lines up; other control characters show as '?'.
 * Lines longer than {@value #WIDTH} characters are cut around the column and marked with "...".
 * Stateless; safe from any thread.
 */
public final class DiagnosticRenderer {
    static final int WIDTH = 120;
    private static final String GUTTER = "  |";

    private DiagnosticRenderer() {
    }

    /**
     * Renders each diagnostic ({@link #render(Diagnostic, String)}) with the text of the file it names,
     * separated by blank lines. A diagnostic whose file is not among {@code files} gets its headline only.
     */
    public static String render(List<Diagnostic> diagnostics, List<SourceFile> files) {
        Map<String, String> texts = new HashMap<>();
        for (SourceFile f : files) {
            texts.putIfAbsent(f.path(), f.text());
        }
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(render(d, texts.get(d.path())));
        }
        return out.toString();
    }

    /**
     * Renders one diagnostic; every line ends with '\n'.
     *
     * @param text the whole text of the diagnostic's file, or null to show the headline and hint only
     */
    public static String render(Diagnostic d, String text) {
        StringBuilder out = new StringBuilder(d.format()).append('\n');
        String line = text == null ? null : lineOf(text, d.line());
        if (line != null) {
            int[] cps = line.codePoints().toArray();
            int caret = Math.max(0, d.column() - 1);
            int from = 0;
            int to = cps.length;
            if (cps.length > WIDTH) {
                from = Math.max(0, Math.min(caret - WIDTH / 2, cps.length - WIDTH));
                to = Math.min(cps.length, from + WIDTH);
            }
            StringBuilder shown = new StringBuilder(from > 0 ? "..." : "");
            StringBuilder under = new StringBuilder(from > 0 ? "   " : "");
            for (int i = from; i < to; i++) {
                int c = cps[i];
                boolean visible = c == '\t' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0));
                shown.appendCodePoint(visible ? c : '?');
                if (i < caret) {
                    under.append(c == '\t' ? '\t' : ' ');
                }
            }
            if (to < cps.length) {
                shown.append("...");
            }
            for (int i = Math.max(from, to); i < caret; i++) {
                under.append(' ');
            }
            out.append(shown.length() == 0 ? GUTTER : GUTTER + " " + shown).append('\n');
            out.append(GUTTER).append(' ').append(under).append("^\n");
        }
        if (d.hint() != null) {
            out.append("  = hint: ").append(d.hint()).append('\n');
        }
        return out.toString();
    }

    /** The 1-based line of text (lines end at '\n'; a '\r' before it is dropped), or null if there is none. */
    static String lineOf(String text, int line) {
        if (line < 1) {
            return null;
        }
        int start = 0;
        for (int i = 1; i < line; i++) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                return null;
            }
            start = nl + 1;
        }
        int end = text.indexOf('\n', start);
        String s = text.substring(start, end < 0 ? text.length() : end);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
