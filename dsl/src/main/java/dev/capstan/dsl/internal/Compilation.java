package dev.capstan.dsl.internal;

import dev.capstan.dsl.CapCompiler.Limits;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.ast.CapFile;
import dev.capstan.dsl.policy.PolicySet;
import dev.capstan.model.KubeObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One run of the compiler: parse every file, analyze them together, lower when there is no error. */
public final class Compilation {
    private Compilation() {
    }

    /** See {@link dev.capstan.dsl.DslCompiler#compile} for the contract. */
    public static CompileResult run(List<SourceFile> files, Limits limits) {
        List<SourceFile> input = files == null ? List.of()
                : files.stream().filter(Objects::nonNull).toList();
        Reporter reporter = new Reporter(limits.maxErrorsPerFile());
        List<CapFile> asts = new ArrayList<>();
        boolean allRead = true;
        for (SourceFile f : input) {
            try {
                CapFile ast = SourceParser.parse(f, limits, reporter);
                if (ast != null) {
                    asts.add(ast);
                } else {
                    allRead = false;
                }
            } catch (RuntimeException | StackOverflowError e) {
                internalError(reporter, f.path(), e);
                allRead = false;
            }
        }
        List<KubeObject> objects = List.of();
        PolicySet policies = PolicySet.EMPTY;
        try {
            Program program = new Analyzer(reporter, limits.maxDeclarations()).analyze(asts, allRead);
            policies = new PolicyChecker(reporter, limits).check(asts);
            if (!reporter.hasErrors()) {
                objects = Lowering.lower(program);
            } else {
                policies = PolicySet.EMPTY;
            }
        } catch (RuntimeException | StackOverflowError e) {
            internalError(reporter, input.isEmpty() ? "<input>" : input.get(0).path(), e);
            objects = List.of();
            policies = PolicySet.EMPTY;
        }
        return new CompileResult(objects, sorted(reporter.diagnostics(), input), policies);
    }

    private static void internalError(Reporter reporter, String path, Throwable e) {
        reporter.report(ErrorCode.E099, path, 1, 1, "internal compiler error: " + e,
                "this is a bug in capstan; please report it with the file");
    }

    /** By file in input order, then line, then column; equal positions keep the order reported. */
    private static List<Diagnostic> sorted(List<Diagnostic> diagnostics, List<SourceFile> files) {
        Map<String, Integer> order = new HashMap<>();
        for (SourceFile f : files) {
            order.putIfAbsent(f.path(), order.size());
        }
        List<Diagnostic> out = new ArrayList<>(diagnostics);
        out.sort(Comparator.comparingInt((Diagnostic d) -> order.getOrDefault(d.path(), Integer.MAX_VALUE))
                .thenComparingInt(Diagnostic::line)
                .thenComparingInt(Diagnostic::column));
        return out;
    }
}
