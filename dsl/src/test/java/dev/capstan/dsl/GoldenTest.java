package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Pins the exact rendered diagnostics. Each {@code golden/NAME.expected} holds what compiling
 * {@code golden/NAME.cap} (or every file under {@code golden/NAME/}) prints. After a deliberate change,
 * regenerate with {@code mvn -pl dsl test -Dtest=GoldenTest -Dgolden.update=true} and review the diff.
 */
class GoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TestFactory
    Stream<DynamicTest> rendersDiagnosticsExactly() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> listing = Files.list(DIR)) {
            for (Path expected : listing.filter(p -> p.toString().endsWith(".expected")).sorted().toList()) {
                String name = expected.getFileName().toString().replace(".expected", "");
                tests.add(DynamicTest.dynamicTest(name, () -> check(name, expected)));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(9);
        return tests.stream();
    }

    private static void check(String name, Path expectedFile) throws IOException {
        Path single = DIR.resolve(name + ".cap");
        List<SourceFile> files = Files.exists(single) ? List.of(SourceFiles.read(single, DIR))
                : SourceFiles.load(DIR.resolve(name), DIR);
        CompileResult result = new CapCompiler().compile(files);
        String rendered = DiagnosticRenderer.render(result.diagnostics(), files);
        if (UPDATE) {
            Files.writeString(expectedFile, rendered, StandardCharsets.UTF_8);
        }
        assertThat(result.ok()).as("a golden case shows an error").isFalse();
        assertThat(rendered).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
    }

    @Test
    void everyGoldenInputHasItsExpectedOutput() throws IOException {
        try (Stream<Path> listing = Files.list(DIR)) {
            for (Path p : listing.toList()) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".expected")) {
                    String base = name.endsWith(".cap") ? name.substring(0, name.length() - 4) : name;
                    assertThat(DIR.resolve(base + ".expected")).as(name).exists();
                }
            }
        }
    }
}
