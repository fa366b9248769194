package dev.capstan.cli;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.Diagnostic;
import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.policy.PolicySet;
import dev.capstan.engine.admission.Admission;
import dev.capstan.engine.admission.Exceptions;
import dev.capstan.engine.admission.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Policy files given with {@code --policies}: compiled, then applied to a compile result. */
final class PolicySources {
    private PolicySources() {
    }

    /** The policy blocks of the files under {@code paths} (added to {@code files}); compile errors as a UserError-free result. */
    static CompileResult compile(List<Path> paths, List<SourceFile> files) {
        List<SourceFile> policyFiles = Sources.load(paths);
        files.addAll(policyFiles);
        return new CapCompiler().compile(policyFiles);
    }

    /**
     * {@code result} with the policies of {@code result} and of {@code paths} applied: CEL errors and every
     * verdict added to its diagnostics (a deny, or an error of an enforce policy, is an error).
     */
    static CompileResult admit(CompileResult result, List<Path> paths, List<SourceFile> files) {
        List<Diagnostic> diagnostics = new ArrayList<>(result.diagnostics());
        PolicySet set = result.policies();
        if (!paths.isEmpty()) {
            CompileResult policies = compile(paths, files);
            diagnostics.addAll(policies.diagnostics());
            set = set.plus(policies.policies());
        }
        Admission admission = Admission.compile(set);
        diagnostics.addAll(admission.diagnostics());
        if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
            diagnostics.addAll(Verdict.diagnostics(admission.evaluate(result.objects())));
            diagnostics.addAll(Exceptions.unmatched(set, result.objects()));
        }
        List<String> order = files.stream().map(SourceFile::path).toList();
        diagnostics.sort(Comparator.comparingInt((Diagnostic d) -> order.indexOf(d.path()) < 0 ? Integer.MAX_VALUE
                : order.indexOf(d.path())).thenComparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
        return new CompileResult(result.objects(), diagnostics, set);
    }
}
