package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every `.cap` example in docs/language.md compiles without errors (a missing namespace is supplied). */
class DocsExamplesTest {
    @Test
    void everyExampleInTheReferenceCompiles() throws IOException {
        String doc = Files.readString(Path.of("../docs/language.md"));
        List<String> examples = new ArrayList<>();
        StringBuilder block = null;
        String fence = null;
        for (String line : doc.split("\n", -1)) {
            if (block == null && line.startsWith("```")) {
                block = new StringBuilder();
                fence = line;
            } else if (block != null && line.equals("```")) {
                if (fence.equals("```") && block.indexOf("service ") >= 0 && block.indexOf("error[") < 0) {
                    examples.add(block.toString());
                }
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        for (String example : examples) {
            String text = example;
            for (String ns : List.of("shop", "demo")) {
                if (!example.contains("namespace " + ns)) {
                    text += "\nnamespace " + ns + " { }\n";
                }
            }
            CompileResult result = new CapCompiler().compile(files(text));
            assertThat(result.errors()).as(example).isEmpty();
        }
    }

    /** One file, or several where the block names them with {@code # path.cap} lines. */
    private static List<SourceFile> files(String text) {
        List<SourceFile> out = new ArrayList<>();
        String path = "doc.cap";
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.matches("# [\\w./-]+\\.cap")) {
                if (!current.toString().isBlank()) {
                    out.add(new SourceFile(path, current.toString()));
                }
                path = line.substring(2);
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        out.add(new SourceFile(path, current.toString()));
        return out;
    }
}
