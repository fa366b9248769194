package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FmtCommandTest {
    private static final String MESSY = "namespace n{}\nservice s in n{image \"i\" replicas 2}\n";
    private static final String CANONICAL = "namespace n { }\n\nservice s in n {\n  image    \"i\"\n  replicas 2\n}\n";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void rewritesFilesInPlaceAndListsThem() throws IOException {
        Path messy = write("a/messy.cap", MESSY);
        Path tidy = write("a/tidy.cap", CANONICAL);
        CliRun run = CliRun.of("fmt", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(Files.readString(messy)).isEqualTo(CANONICAL);
        assertThat(Files.readString(tidy)).isEqualTo(CANONICAL);
        assertThat(run.out().lines().toList()).singleElement().asString().endsWith("messy.cap");
        assertThat(CliRun.of("fmt", dir.toString()).out()).isEmpty();
    }

    @Test
    void checkListsFilesThatWouldChangeAndChangesNothing() throws IOException {
        Path messy = write("messy.cap", MESSY);
        write("tidy.cap", CANONICAL);
        CliRun run = CliRun.of("fmt", "--check", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out().lines().toList()).singleElement().asString().endsWith("messy.cap");
        assertThat(Files.readString(messy)).isEqualTo(MESSY);
        Files.writeString(messy, CANONICAL);
        assertThat(CliRun.of("fmt", "--check", dir.toString()).exitCode()).isZero();
    }

    @Test
    void refusesFilesWithSyntaxErrorsButFormatsTheOthers() throws IOException {
        Path broken = write("broken.cap", "namespace n {\n  labels { a = b }\n}\n");
        Path messy = write("messy.cap", MESSY);
        CliRun run = CliRun.of("fmt", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("error[E001]").contains("expected a string").contains("not formatted: 1 file");
        assertThat(Files.readString(broken)).isEqualTo("namespace n {\n  labels { a = b }\n}\n");
        assertThat(Files.readString(messy)).isEqualTo(CANONICAL);
    }

    @Test
    void aMissingPathIsOneLineOnStderr() {
        CliRun run = CliRun.of("fmt", dir.resolve("nope.cap").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("capstan: error: ").contains("no such file").doesNotContain("Exception");
    }
}
