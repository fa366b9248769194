/**
 * The {@code .cap} language: compile source files ({@link dev.capstan.dsl.SourceFile}) into the
 * Kubernetes-shaped objects of {@code dev.capstan.model} with {@link dev.capstan.dsl.DslCompiler}, and
 * show what went wrong with {@link dev.capstan.dsl.Diagnostic} and {@link dev.capstan.dsl.DiagnosticRenderer}.
 *
 * <p>The classes ANTLR generates from {@code Cap.g4} ({@code CapLexer}, {@code CapParser}, {@code CapVisitor},
 * {@code CapBaseVisitor}) land in this package too; they are not API.
 */
package dev.capstan.dsl;
