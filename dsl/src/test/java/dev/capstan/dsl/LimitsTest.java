package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every limit ends in an E090 diagnostic, never in a crash or a hang. */
class LimitsTest {
    private static final CapCompiler.Limits SMALL = new CapCompiler.Limits(200, 40, 3, 3, 5);

    private static List<String> compile(String text) {
        return new CapCompiler(SMALL).compile(List.of(new SourceFile("t.cap", text))).diagnostics().stream()
                .map(Diagnostic::toString).toList();
    }

    @Test
    void refusesAFileOverTheSizeLimit() {
        assertThat(compile("#".repeat(201))).containsExactly(
                "error[E090] t.cap:1:1: file is too large (201 characters; the limit is 200) "
                        + "(hint: split it into several files)");
    }

    @Test
    void refusesAFileWithTooManyTokens() {
        assertThat(compile("namespace n { }\n".repeat(11))).containsExactly(
                "error[E090] t.cap:11:1: file has too many tokens (the limit is 40) (hint: split it into several files)");
    }

    @Test
    void refusesDeepNesting() {
        assertThat(compile("namespace n { labels { a = [[[ }")).containsExactly(
                "error[E090] t.cap:1:29: blocks nested too deeply (the limit is 3)");
    }

    @Test
    void refusesTooManyDeclarations() {
        assertThat(compile("namespace a { }\nnamespace b { }\nnamespace c { }\nnamespace d { }")).containsExactly(
                "error[E090] t.cap:4:1: too many declarations (the limit is 3) (hint: split the repository or raise the limit)");
    }

    @Test
    void stopsReportingAfterTooManyErrorsInAFile() {
        List<String> diagnostics = compile("@ x\n".repeat(20));
        assertThat(diagnostics).hasSize(6);
        assertThat(diagnostics.get(5)).isEqualTo("error[E090] t.cap:5:1: too many errors in this file; stopped after 5 "
                + "(hint: fix these and compile again)");
    }

    @Test
    void handlesTheDefaultLimitsOnALargeFile() {
        StringBuilder text = new StringBuilder("namespace n { }\n");
        for (int i = 0; i < 2000; i++) {
            text.append("service s").append(i).append(" in n { image \"i\" replicas 2 port http 80 }\n");
        }
        CompileResult result = new CapCompiler().compile(List.of(new SourceFile("big.cap", text.toString())));
        assertThat(result.ok()).isTrue();
        assertThat(result.objects()).hasSize(1 + 2 * 2000);
    }
}
