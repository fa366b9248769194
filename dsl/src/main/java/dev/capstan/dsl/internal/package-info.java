/**
 * How the compiler works inside: parsing with friendly syntax errors, the AST builder, the analyzer
 * and lowering to the model. Not API: anything here may change without notice; use
 * {@link dev.capstan.dsl.DslCompiler}.
 */
package dev.capstan.dsl.internal;
