package dev.capstan.dsl;

import java.util.List;

/**
 * Compiles {@code .cap} sources into the objects they describe. This is the one door from text to
 * the model: git-sync, {@code capstan check}, {@code capstan plan} and the tests all go through it.
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li><b>Whole input.</b> The files are compiled together: a {@code service} may name a namespace
 *       declared in any of them. Their order only decides which of two clashing declarations is
 *       reported (the later one) and the order of diagnostics.</li>
 *   <li><b>All problems at once.</b> Every error of every file is reported, syntax errors included;
 *       a user never fixes one error only to meet the next.</li>
 *   <li><b>Never throws.</b> Any input, however broken, yields a {@link CompileResult}; problems are
 *       {@link Diagnostic}s with a line and column inside the file. A null list is treated as empty and
 *       null elements are ignored.</li>
 *   <li><b>Pure and thread-safe.</b> No I/O, no clock, no shared mutable state: the same files give an
 *       equal result, from any number of threads at once.</li>
 * </ul>
 */
public interface DslCompiler {

    /** Compiles the files together; see the interface contract. */
    CompileResult compile(List<SourceFile> files);
}
