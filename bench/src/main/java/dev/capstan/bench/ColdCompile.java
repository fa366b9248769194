package dev.capstan.bench;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.SourceFiles;
import dev.capstan.model.Deployment;
import java.nio.file.Path;
import java.util.List;

/**
 * What the {@code compile} benchmark times from outside, in a fresh JVM: read every {@code .cap} file under a
 * directory and compile them, as {@code capstan check DIR} does. Prints {@code services N objects M} on stdout
 * and exits 0, or prints the first diagnostics on stderr and exits 1.
 *
 * <p>Usage: {@code java -cp capstan-bench.jar dev.capstan.bench.ColdCompile DIR [MAX_DECLARATIONS]}
 */
public final class ColdCompile {
    private ColdCompile() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ColdCompile DIR [MAX_DECLARATIONS]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int maxDeclarations = args.length > 1 ? Integer.parseInt(args[1]) : CapCompiler.Limits.DEFAULT.maxDeclarations();
        List<SourceFile> files = SourceFiles.load(dir, dir);
        CompileResult result = CompileBenchmark.compiler(maxDeclarations).compile(files);
        if (!result.ok()) {
            System.err.print(DiagnosticRenderer.render(result.errors().subList(0, Math.min(5, result.errors().size())),
                    files));
            System.exit(1);
        }
        long services = result.objects().stream().filter(o -> o instanceof Deployment).count();
        System.out.println("services " + services + " objects " + result.objects().size());
    }
}
