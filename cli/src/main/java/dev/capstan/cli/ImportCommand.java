package dev.capstan.cli;

import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.SourceFiles;
import dev.capstan.dsl.export.ManifestImport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan import [-o FILE] FILE.yaml…}: Kubernetes Namespaces, Deployments and Services to {@code .cap}
 * source on stdout (or FILE). What {@code .cap} cannot express is listed on stderr (W041) and at the top of the
 * output; YAML that is refused (aliases, duplicate keys, too deep or large) is an error: nothing is written, exit 1.
 */
@Command(name = "import", description = "Translate Kubernetes Deployments and Services (YAML) into .cap source "
        + "(exit 1: YAML refused).")
final class ImportCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the .cap source here, not to stdout")
    Path output;

    @Parameters(arity = "1..*", paramLabel = "FILE.yaml", description = "Kubernetes manifests (multi-document YAML)")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
        List<SourceFile> files = new ArrayList<>();
        for (Path p : paths) {
            try {
                files.add(SourceFiles.read(p, Path.of("")));
            } catch (IOException e) {
                System.err.println("capstan: " + e.getMessage());
                return 1;
            }
        }
        ManifestImport.Result result = ManifestImport.translate(files);
        if (!result.diagnostics().isEmpty()) {
            System.err.println(DiagnosticRenderer.render(result.diagnostics(), files));
        }
        if (!result.ok()) {
            System.err.println("capstan: nothing imported");
            return 1;
        }
        if (output != null) {
            Files.writeString(output, result.source(), StandardCharsets.UTF_8);
            System.err.println("capstan: wrote " + output);
        } else {
            System.out.print(result.source());
            System.out.flush();
        }
        return 0;
    }
}
