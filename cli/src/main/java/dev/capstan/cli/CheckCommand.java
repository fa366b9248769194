package dev.capstan.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan check [--format text|json] PATH…}: compiles, prints every diagnostic, exit 0 when
 * everything compiles, 1 on any error.
 */
@Command(name = "check", description = "Compile .cap files and report every error at once (exit 0: all good, 1: errors).")
final class CheckCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Output formats of {@code --format}. */
    enum Format { text, json }

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default: rendered with source lines) or json (an array of diagnostics: severity, "
                    + "code, path, line, column, message, hint).")
    Format format;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = ".cap files or directories (searched recursively)")
    List<Path> paths;

    @Option(names = "--policies", paramLabel = "DIR", description = "also apply the policy blocks of these .cap files "
            + "or directories (repeatable); policy blocks among PATH apply too. A denied object is an error.")
    List<Path> policyPaths = new ArrayList<>();

    @Mixin
    NodePortRangeOption nodePorts = new NodePortRangeOption();

    @Override
    public Integer call() {
        List<SourceFile> files = new ArrayList<>(Sources.load(paths));
        CompileResult result = nodePorts.compiler().compile(files);
        if (!policyPaths.isEmpty() || !result.policies().isEmpty()) {
            result = PolicySources.admit(result, policyPaths, files);
        }
        int errors = result.errors().size();
        if (format == Format.json) {
            System.out.println(json(result.diagnostics()));
            return errors > 0 ? 1 : 0;
        }
        if (!result.diagnostics().isEmpty()) {
            System.out.println(DiagnosticRenderer.render(result.diagnostics(), files));
        }
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

    /** The diagnostics as a JSON array, one object each with a fixed key order; {@code hint} may be null. */
    static String json(List<Diagnostic> diagnostics) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("severity", d.severity().label());
            m.put("code", d.code());
            m.put("path", d.path());
            m.put("line", d.line());
            m.put("column", d.column());
            m.put("message", d.message());
            m.put("hint", d.hint());
            out.add(m);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write diagnostics as JSON", e);
        }
    }

    static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
