package dev.capstan.cli;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.DiagnosticRenderer;
import dev.capstan.dsl.SourceFile;
import dev.capstan.engine.admission.Admission;
import dev.capstan.engine.admission.PolicyTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code capstan policy test PATH… [--junit FILE]}: runs the {@code test} blocks of policy files. */
@Command(name = "policy", description = "Work with admission policies (docs/policies.md).",
        subcommands = {PolicyCommand.Test.class})
final class PolicyCommand {

    @Command(name = "test", description = "Run the test blocks of policy files: each example's verdict against its "
            + "expect (exit 0: all pass, 1: a failed expectation or an error).")
    static final class Test implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "PATH", description = ".cap files or directories (searched recursively)")
        List<Path> paths;

        @Option(names = "--junit", paramLabel = "FILE", description = "also write the results as JUnit XML to FILE")
        Path junit;

        @Override
        public Integer call() {
            List<SourceFile> files = new ArrayList<>(Sources.load(paths));
            CompileResult result = new CapCompiler().compile(files);
            List<Diagnostic> problems = new ArrayList<>(result.diagnostics());
            Admission admission = Admission.compile(result.policies());
            problems.addAll(admission.diagnostics());
            if (problems.stream().anyMatch(Diagnostic::isError)) {
                System.out.println(DiagnosticRenderer.render(problems, files));
                return 1;
            }
            List<PolicyTests.Result> results = PolicyTests.run(admission);
            if (junit != null) {
                try {
                    Path parent = junit.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    Files.writeString(junit, PolicyTests.junitXml(results));
                } catch (IOException e) {
                    throw new UserError(junit + ": cannot write: " + e.getMessage());
                }
            }
            if (results.isEmpty()) {
                System.out.println("no test blocks in " + CheckCommand.plural(files.size(), "file"));
                return 1;
            }
            System.out.print(PolicyTests.text(results));
            return results.stream().allMatch(PolicyTests.Result::passed) ? 0 : 1;
        }
    }
}
