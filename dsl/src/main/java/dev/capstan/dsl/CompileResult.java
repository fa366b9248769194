package dev.capstan.dsl;

import dev.capstan.dsl.policy.PolicySet;
import dev.capstan.model.KubeObject;
import java.util.List;

/**
 * What a compilation produced.
 *
 * @param objects     the desired objects: namespaces, then deployments, then services, each sorted by
 *                    {@link KubeObject#key()}; empty whenever there is an error, because a set of files
 *                    is applied whole or not at all
 * @param diagnostics every error and warning of every file, ordered by file (in the order the files
 *                    were given), then line, then column
 */
public record CompileResult(List<KubeObject> objects, List<Diagnostic> diagnostics, PolicySet policies) {

    public CompileResult {
        objects = List.copyOf(objects);
        diagnostics = List.copyOf(diagnostics);
        policies = policies == null ? PolicySet.EMPTY : policies;
    }

    /** A result without policy blocks. */
    public CompileResult(List<KubeObject> objects, List<Diagnostic> diagnostics) {
        this(objects, diagnostics, PolicySet.EMPTY);
    }

    /** True when there is no error; warnings are allowed. */
    public boolean ok() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }
}
