package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.Deployment;
import dev.capstan.model.KubeObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Facts about the language as a whole: keywords, layout, comments, and the documented error codes. */
class LanguageTest {
    private static final List<String> NON_RESERVED =
            List.of("image", "command", "args", "env", "replicas", "port", "labels", "resources", "expose");

    private static CompileResult compile(String text) {
        return new CapCompiler().compile(List.of(new SourceFile("t.cap", text)));
    }

    @Test
    void everyKeywordThatStartsNoDeclarationIsAlsoAName() {
        for (String word : NON_RESERVED) {
            CompileResult result = compile("namespace " + word + " { labels { " + word + " = \"x\" } }\n"
                    + "service " + word + " in " + word + " {\n  image \"i\"\n  port " + word + " 80\n"
                    + "  env { " + word + " = \"v\" }\n}\n");
            assertThat(result.diagnostics()).as(word).isEmpty();
        }
    }

    @Test
    void theWordsOfProbesAndPlacementAreNamesAndKeysToo() {
        List<String> words = List.of("annotations", "restart", "liveness", "readiness", "startup", "stop-grace",
                "update", "node-selector", "node-affinity", "pod-affinity", "pod-anti-affinity", "spread", "tolerate",
                "priority", "http", "tcp", "exec", "every", "timeout", "initial-delay", "success-threshold",
                "failure-threshold", "max-surge", "max-unavailable", "required", "preferred", "weight", "by",
                "max-skew", "effect", "for", "notin", "extends");
        for (String word : words) {
            CompileResult result = compile("namespace " + word + " { labels { " + word + " = \"x\" } }\n"
                    + "service " + word + " in " + word + " {\n  image \"i\"\n  env { " + word + " = \"v\" }\n"
                    + "  node-selector { " + word + " = \"x\" }\n  spread by " + word + " { " + word + " }\n}\n");
            assertThat(result.errors()).as(word).isEmpty();
        }
    }

    @Test
    void reservedWordsAreKeysWhenQuoted() {
        CompileResult result = compile("namespace n { labels { \"namespace\" = \"a\"  \"service\" = \"b\"  \"in\" = \"c\" } }");
        assertThat(result.diagnostics()).isEmpty();
    }

    @Test
    void newlinesCarryNoMeaning() {
        CompileResult oneLine = compile("namespace n{}service s in n{image\"i\"replicas 3 port http 80 expose 8080}");
        CompileResult spread = compile("namespace\nn\n{\n}\nservice\ns\nin\nn\n{\nimage\n\"i\"\nreplicas\n3\nport\nhttp\n80\n"
                + "expose\n8080\n}\n");
        assertThat(oneLine.diagnostics()).isEmpty();
        assertThat(spread.objects()).extracting(o -> o.metadata().name()).isEqualTo(
                oneLine.objects().stream().map(o -> o.metadata().name()).toList());
        assertThat(((Deployment) spread.objects().get(1)).spec().replicas()).isEqualTo(3);
    }

    @Test
    void acceptsBothCommentStylesCrlfAndAByteOrderMark() {
        CompileResult result = compile("\uFEFF# hash comment\r\n// slash comment\r\nnamespace n { } # trailing\r\n"
                + "service s in n { image \"i\" } // trailing\r\n");
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.objects()).extracting(KubeObject::kind).containsExactly("Namespace", "Deployment");
    }

    @Test
    void reportsTheSameErrorAtTheSameColumnWhateverTheLineEndings() {
        String unix = "namespace n { }\nservice s in n {\n  replica 3\n}\n";
        CompileResult lf = compile(unix);
        CompileResult crlf = compile(unix.replace("\n", "\r\n"));
        assertThat(crlf.diagnostics()).isEqualTo(lf.diagnostics());
    }

    @Test
    void countsColumnsInCodePoints() {
        CompileResult result = compile("namespace n { labels { a = \"\ud83d\ude00\" } }  replica");
        assertThat(result.diagnostics()).extracting(Diagnostic::location).containsExactly("t.cap:1:28", "t.cap:1:37");
    }

    @Test
    void theReadmeTableListsEveryErrorCode() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher row = Pattern.compile("(?m)^\\| (\\w\\d{3}) \\| ([^|]+?) \\|").matcher(readme);
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            ErrorCode code = ErrorCode.valueOf(row.group(1));
            assertThat(row.group(2)).as(code.name()).isEqualTo(code.title());
            documented.add(code.name());
        }
        assertThat(documented).containsExactlyElementsOf(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }
}
