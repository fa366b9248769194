package dev.capstan.gitsync.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with a file under {@code src/test/resources/plan/}. Run with {@code -Dgolden.update=true}
 * to rewrite the files after an intended change, then review the diff.
 */
final class Golden {
    private static final Path DIR = Path.of("src/test/resources/plan");

    private Golden() {
    }

    static void assertMatches(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file %s (run with -Dgolden.update=true to create it)", file).exists();
        assertThat(actual).as("output differs from %s", file)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
