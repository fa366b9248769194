package dev.capstan.dsl.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.SourceFile;
import dev.capstan.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FormatterTest {
    private static final Pattern COMMENT = Pattern.compile("(#|//)[^\\n]*");

    private static String fmt(String text) {
        Formatter.Result r = Formatter.format(new SourceFile("t.cap", text));
        assertThat(r.diagnostics()).as(text).isEmpty();
        return r.text();
    }

    @Test
    void theHelloExampleIsAlreadyCanonical() throws IOException {
        String hello = Files.readString(Path.of("../examples/hello/hello.cap"));
        assertThat(fmt(hello)).isEqualTo(hello);
    }

    @Test
    void layoutIsPinned() throws IOException {
        Path dir = Path.of("src/test/resources/features");
        String formatted = fmt(Files.readString(dir.resolve("unformatted.cap")));
        assertThat(formatted).isEqualTo(Files.readString(dir.resolve("unformatted.formatted")));
    }

    @Test
    void putsOneAttributePerLineAlignedAndBlocksOfTwoEntriesOnLinesOfTheirOwn() {
        assertThat(fmt("namespace n{}service s in n{image\"i\" replicas 2 port http 80 labels{a=\"b\" cc=\"d\"}}"))
                .isEqualTo("""
                        namespace n { }

                        service s in n {
                          image    "i"
                          replicas 2
                          port http 80
                          labels {
                            a  = "b"
                            cc = "d"
                          }
                        }
                        """);
    }

    @Test
    void formatsTemplatesAndExtendsLikeServices() {
        assertThat(fmt("template base{image \"i\" replicas 2}\nservice s in n extends base{ }"))
                .isEqualTo("template base {\n  image    \"i\"\n  replicas 2\n}\n\nservice s in n extends base { }\n");
    }

    @Test
    void refusesAFileWithSyntaxErrors() {
        Formatter.Result r = Formatter.format(new SourceFile("bad.cap", "namespace n {\n  labels { a = b }\n}\n"));
        assertThat(r.ok()).isFalse();
        assertThat(r.text()).isNull();
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly("E001");
        assertThat(Formatter.format(new SourceFile("bad.cap", "service s in n { replica 2 }")).ok()).isFalse();
    }

    @Test
    void formatsFilesWithSemanticErrors() {
        assertThat(Formatter.format(new SourceFile("t.cap", "service s in nowhere { replicas 99999 }")).text())
                .isEqualTo("service s in nowhere {\n  replicas 99999\n}\n");
    }

    @Test
    void isIdempotentAndKeepsMeaningAndCommentsOverEveryWellFormedTestInput() throws IOException {
        List<Path> inputs = new ArrayList<>();
        for (String dir : List.of("src/test/resources", "../examples")) {
            try (Stream<Path> walk = Files.walk(Path.of(dir))) {
                walk.filter(p -> p.toString().endsWith(".cap")).sorted().forEach(inputs::add);
            }
        }
        int formatted = 0;
        for (Path p : inputs) {
            String text = Files.readString(p);
            Formatter.Result r = Formatter.format(new SourceFile(p.getFileName().toString(), text));
            if (r.ok()) {
                check(text, r.text());
                formatted++;
            }
        }
        assertThat(formatted).isGreaterThanOrEqualTo(8);
    }

    @Test
    void isIdempotentOverAGeneratedCorpus() {
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            String text = Generated.file(random);
            Formatter.Result r = Formatter.format(new SourceFile("g.cap", text));
            assertThat(r.diagnostics()).as(text).isEmpty();
            check(text, r.text());
        }
    }

    /** fmt(fmt(x)) == fmt(x), every comment survives, and the compiled objects do not change. */
    private static void check(String original, String formatted) {
        assertThat(fmt(formatted)).as(original).isEqualTo(formatted);
        Matcher m = COMMENT.matcher(original);
        while (m.find()) {
            if (!insideString(original, m.start())) {
                assertThat(formatted).as(original).contains(m.group().strip());
            }
        }
        assertThat(meaning(formatted)).as(original).isEqualTo(meaning(original));
    }

    private static boolean insideString(String text, int at) {
        int lineStart = text.lastIndexOf('\n', at) + 1;
        return text.substring(lineStart, at).chars().filter(c -> c == '"').count() % 2 == 1;
    }

    /** The compiled objects without source lines, and the diagnostics without positions. */
    private static String meaning(String text) {
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("t.cap", text)));
        return Json.write(r.objects()).replaceAll("\"capstan.dev/source\":\"[^\"]*\"", "")
                + r.diagnostics().stream().map(d -> d.code() + " " + d.message()).toList();
    }
}
