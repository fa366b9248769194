package dev.capstan.cli;

import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.SourceFiles;
import dev.capstan.dsl.format.Formatter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan fmt [--check] PATH…}: rewrites {@code .cap} files in the canonical layout and prints the
 * files it changed; with {@code --check} it changes nothing and lists the files that would change. Exit 1
 * when a file has syntax errors (it is left alone and its errors are printed) or, with {@code --check}, when
 * any file would change.
 */
@Command(name = "fmt", description = "Format .cap files in the canonical layout (exit 1: syntax errors, or "
        + "with --check: some file is not formatted).")
final class FmtCommand implements Callable<Integer> {

    @Option(names = "--check", description = "Change nothing; list the files that would change and exit 1 if any.")
    boolean check;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = ".cap files or directories (searched recursively)")
    List<Path> paths;

    @Override
    public Integer call() {
        Path cwd = Path.of("").toAbsolutePath();
        List<Diagnostic> problems = new ArrayList<>();
        List<SourceFile> broken = new ArrayList<>();
        int changed = 0;
        for (Path p : Sources.files(paths)) {
            SourceFile file = read(p, cwd);
            Formatter.Result result = Formatter.format(file);
            if (!result.ok()) {
                problems.addAll(result.diagnostics());
                broken.add(file);
                continue;
            }
            if (result.text().equals(rawText(p))) {
                continue;
            }
            changed++;
            if (!check) {
                write(p, result.text());
            }
            System.out.println(file.path());
        }
        if (!problems.isEmpty()) {
            System.err.println(DiagnosticRenderer.render(problems, broken));
            System.err.println("capstan: not formatted: " + CheckCommand.plural(broken.size(), "file")
                    + " with syntax errors");
        }
        return !problems.isEmpty() || check && changed > 0 ? 1 : 0;
    }

    private static SourceFile read(Path p, Path cwd) {
        try {
            return SourceFiles.read(p, cwd);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The bytes on disk as text (a byte order mark or CRLF counts as a change). */
    private static String rawText(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError(p + ": cannot read: " + e.getMessage());
        }
    }

    /** Replaces the file through a temporary file beside it, so that an interrupted run leaves it whole. */
    private static void write(Path p, String text) {
        try {
            Path dir = p.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, "." + p.getFileName(), ".fmt");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(p));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the new file keeps the default permissions
                }
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserError(p + ": cannot write: " + e.getMessage());
        }
    }
}
