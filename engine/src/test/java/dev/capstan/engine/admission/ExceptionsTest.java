package dev.capstan.engine.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** W052: exception entries that name no object of the revision, matched as admission matches them. */
class ExceptionsTest {
    private static final String POLICY = """
            policy p {
              applies-to service, pod, namespace
              deny if false
            }
            """;

    private static List<String> unmatched(String objects) {
        CompileResult r = AdmissionTest.compile(POLICY + """
                exception e {
                  policy p
                  objects [%s]
                  reason "r"
                }
                """.formatted(objects));
        return Exceptions.unmatched(r.policies(), r.objects()).stream().map(Diagnostic::format).toList();
    }

    @Test
    void entriesThatNameAnObjectAreNotReported() {
        assertThat(unmatched("\"shop/web\", \"dev/api\", \"shop/*\", \"*/api\", \"*/shop\", \"*/*\"")).isEmpty();
    }

    @Test
    void eachEntryThatNamesNoObjectIsAWarningAtTheException() {
        assertThat(unmatched("\"shop/web\", \"shop/api\", \"prod/*\", \"*/wbe\"")).containsExactly(
                "warning[W052] policies.cap:5:1: exception e names shop/api, which no object is",
                "warning[W052] policies.cap:5:1: exception e names prod/*, which no object is",
                "warning[W052] policies.cap:5:1: exception e names */wbe, which no object is");
    }

    @Test
    void anExceptionByLabelsOnlyIsNotChecked() {
        CompileResult r = AdmissionTest.compile(POLICY + """
                exception e {
                  policy p
                  match { tier = "nothing" }
                  reason "r"
                }
                """);
        assertThat(Exceptions.unmatched(r.policies(), r.objects())).isEmpty();
    }
}
