package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state directory capstan up cannot write is named with the reason, not as a bare path. */
class UpFileProblemTest {
    @TempDir
    Path tmp;

    @Test
    void namesTheFileAndTheReason() throws Exception {
        assertThat(UpCommand.fileProblem(new AccessDeniedException("/nonexistent")))
                .startsWith("cannot use /nonexistent: permission denied").contains("--state-dir");
        Path file = Files.writeString(tmp.resolve("f"), "x");
        try {
            Files.createDirectories(file.resolve("state"));
            throw new AssertionError("a directory inside a file");
        } catch (FileSystemException e) {
            assertThat(UpCommand.fileProblem(e)).startsWith("cannot use " + file);
        }
    }
}
