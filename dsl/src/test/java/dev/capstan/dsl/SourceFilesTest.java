package dev.capstan.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFilesTest {
    @TempDir
    Path root;

    private Path write(String relative, String text) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void loadsEveryCapFileUnderADirectorySortedWithRelativePaths() throws IOException {
        write("repo/services/web.cap", "w");
        write("repo/namespaces.cap", "n");
        write("repo/services/api/api.cap", "a");
        write("repo/README.md", "not a source");
        write("repo/.git/hooks/x.cap", "hidden");

        List<SourceFile> files = SourceFiles.load(root.resolve("repo"), root.resolve("repo"));

        assertThat(files).containsExactly(new SourceFile("namespaces.cap", "n"),
                new SourceFile("services/api/api.cap", "a"), new SourceFile("services/web.cap", "w"));
    }

    @Test
    void showsPathsRelativeToTheDisplayBase() throws IOException {
        write("repo/examples/hello/hello.cap", "h");
        assertThat(SourceFiles.load(root.resolve("repo/examples"), root.resolve("repo")))
                .extracting(SourceFile::path).containsExactly("examples/hello/hello.cap");
    }

    @Test
    void loadsASingleFileWhateverItsName() throws IOException {
        Path file = write("one.txt", "namespace n { }");
        assertThat(SourceFiles.load(file, root)).containsExactly(new SourceFile("one.txt", "namespace n { }"));
    }

    @Test
    void keepsThePathAsGivenOutsideTheDisplayBase() throws IOException {
        Path file = write("elsewhere/x.cap", "x");
        assertThat(SourceFiles.load(file, root.resolve("repo")).get(0).path()).isEqualTo(file.toString());
    }

    @Test
    void dropsAByteOrderMark() throws IOException {
        Path file = write("bom.cap", "\uFEFFnamespace n { }");
        assertThat(SourceFiles.read(file, root).text()).isEqualTo("namespace n { }");
    }

    @Test
    void refusesBytesThatAreNotUtf8() throws IOException {
        Path file = root.resolve("latin1.cap");
        Files.write(file, new byte[] {'a', (byte) 0xe9, 'b'});
        assertThatThrownBy(() -> SourceFiles.load(file, root)).isInstanceOf(IOException.class)
                .hasMessage("latin1.cap: not valid UTF-8");
    }

    @Test
    void refusesFilesOverTheSizeLimitBeforeReadingThem() throws IOException {
        Path file = root.resolve("huge.cap");
        Files.write(file, new byte[(int) SourceFiles.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> SourceFiles.load(file, root)).isInstanceOf(IOException.class)
                .hasMessage("huge.cap: file is too large (4194305 bytes; the limit is 4 MiB)");
    }

    @Test
    void saysWhichPathIsMissing() {
        assertThatThrownBy(() -> SourceFiles.load(root.resolve("nope"), root))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope")
                .hasMessageContaining("no such file or directory");
    }
}
