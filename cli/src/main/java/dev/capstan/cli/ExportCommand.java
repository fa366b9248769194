package dev.capstan.cli;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.export.Manifests;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan export --format k8s|json PATH…}: compiles and writes the objects to stdout as Kubernetes
 * manifests (multi-document YAML) or one JSON List. Diagnostics and notes go to stderr; exit 1 on errors,
 * with nothing on stdout.
 */
@Command(name = "export", description = "Write the compiled objects as Kubernetes manifests to stdout "
        + "(exit 1: compile errors).")
final class ExportCommand implements Callable<Integer> {

    /** Output formats of {@code --format}. */
    enum Format { k8s, json }

    @Option(names = "--format", defaultValue = "k8s", paramLabel = "FORMAT",
            description = "k8s (default: YAML documents separated by ---) or json (one v1 List).")
    Format format;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = ".cap files or directories (searched recursively)")
    List<Path> paths;

    @Override
    public Integer call() {
        List<SourceFile> files = Sources.load(paths);
        CompileResult result = new CapCompiler().compile(files);
        if (!result.diagnostics().isEmpty()) {
            System.err.println(DiagnosticRenderer.render(result.diagnostics(), files));
        }
        if (!result.ok()) {
            System.err.println("capstan: nothing exported: " + CheckCommand.plural(result.errors().size(), "error"));
            return 1;
        }
        Manifests.Export export = Manifests.of(result.objects());
        for (String note : export.notes()) {
            System.err.println("capstan: note: " + note);
        }
        System.out.print(format == Format.json ? export.json() : export.yaml());
        System.out.flush();
        return 0;
    }
}
