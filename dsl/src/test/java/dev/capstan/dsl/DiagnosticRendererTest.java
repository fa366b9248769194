package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticRendererTest {
    private static Diagnostic error(int line, int column, String hint) {
        return new Diagnostic(Severity.ERROR, "E002", "services/shop.cap", line, column, "unknown attribute 'replica'",
                hint);
    }

    @Test
    void formatsTheHeadlineWithCodeAndLocation() {
        Diagnostic d = error(12, 7, null);
        assertThat(d.location()).isEqualTo("services/shop.cap:12:7");
        assertThat(d.format()).isEqualTo("error[E002] services/shop.cap:12:7: unknown attribute 'replica'");
        assertThat(new Diagnostic(Severity.WARNING, "W001", "a.cap", 1, 2, "m", null).format())
                .isEqualTo("warning[W001] a.cap:1:2: m");
    }

    @Test
    void showsTheLineACaretAndTheHint() {
        String text = "service web in shop {\n  replica 3\n}\n";
        assertThat(DiagnosticRenderer.render(error(2, 3, "did you mean 'replicas'?"), text)).isEqualTo("""
                error[E002] services/shop.cap:2:3: unknown attribute 'replica'
                  |   replica 3
                  |   ^
                  = hint: did you mean 'replicas'?
                """);
    }

    @Test
    void keepsTabsSoTheCaretLinesUp() {
        String text = "x\n\t\treplica 3\r\n";
        assertThat(DiagnosticRenderer.render(error(2, 3, null), text))
                .endsWith("  | \t\treplica 3\n  | \t\t^\n");
    }

    @Test
    void canPointJustPastTheEndOfALine() {
        assertThat(DiagnosticRenderer.render(error(1, 4, null), "abc")).endsWith("  | abc\n  |    ^\n");
    }

    @Test
    void showsTheHeadlineAloneWithoutTheSource() {
        assertThat(DiagnosticRenderer.render(error(2, 3, "h"), null))
                .isEqualTo("error[E002] services/shop.cap:2:3: unknown attribute 'replica'\n  = hint: h\n");
        assertThat(DiagnosticRenderer.render(error(9, 1, null), "one line"))
                .isEqualTo("error[E002] services/shop.cap:9:1: unknown attribute 'replica'\n");
    }

    @Test
    void cutsLongLinesAroundTheColumn() {
        String line = "a".repeat(200) + "X" + "b".repeat(200);
        String out = DiagnosticRenderer.render(error(1, 201, null), line);
        String[] lines = out.split("\n");
        assertThat(lines[1]).startsWith("  | ...").endsWith("...").hasSize(4 + 3 + 120 + 3);
        assertThat(lines[1].charAt(lines[2].indexOf('^'))).isEqualTo('X');
    }

    @Test
    void replacesControlCharacters() {
        assertThat(DiagnosticRenderer.render(error(1, 3, null), "a\u0000b\rc")).contains("  | a?b?c\n");
    }

    @Test
    void rendersEachDiagnosticWithItsOwnFile() {
        List<SourceFile> files = List.of(new SourceFile("a.cap", "first"), new SourceFile("b.cap", "second"));
        List<Diagnostic> diagnostics = List.of(
                new Diagnostic(Severity.ERROR, "E001", "b.cap", 1, 2, "m1", null),
                new Diagnostic(Severity.ERROR, "E001", "gone.cap", 1, 1, "m2", null));
        assertThat(DiagnosticRenderer.render(diagnostics, files)).isEqualTo("""
                error[E001] b.cap:1:2: m1
                  | second
                  |  ^

                error[E001] gone.cap:1:1: m2
                """);
    }
}
