package dev.capstan.cli;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.SourceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code capstan check PATH…}: compiles, prints every diagnostic, exit 0 when everything compiles. */
@Command(name = "check", description = "Compile .cap files and report every error at once (exit 0: all good, 1: errors).")
final class CheckCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = ".cap files or directories (searched recursively)")
    List<Path> paths;

    @Override
    public Integer call() {
        Path cwd = Path.of("").toAbsolutePath();
        List<SourceFile> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new UserError(p + ": no such file or directory");
            }
            try {
                files.addAll(SourceFiles.load(p, cwd));
            } catch (NoSuchFileException e) {
                throw new UserError(e.getFile() + ": no such file or directory");
            } catch (IOException e) {
                throw new UserError(p + ": cannot read: " + e.getMessage());
            }
        }
        if (files.isEmpty()) {
            throw new UserError("no .cap files found in " + paths);
        }
        CompileResult result = new CapCompiler().compile(files);
        if (!result.diagnostics().isEmpty()) {
            System.out.println(DiagnosticRenderer.render(result.diagnostics(), files));
        }
        int errors = result.errors().size();
        int warnings = result.warnings().size();
        if (errors > 0) {
            System.out.println(plural(errors, "error") + (warnings > 0 ? ", " + plural(warnings, "warning") : "")
                    + " in " + plural(files.size(), "file"));
            return 1;
        }
        System.out.println("ok: " + plural(files.size(), "file") + ", " + plural(result.objects().size(), "object")
                + (warnings > 0 ? ", " + plural(warnings, "warning") : ""));
        return 0;
    }

    static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
