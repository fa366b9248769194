/**
 * Admission policies as written in {@code .cap} files, free of CEL: {@link PolicySet} holds the
 * {@code policy}, {@code bind}, {@code exception} and {@code test} blocks of one compilation, each CEL
 * expression as source text with the location of its first character. The engine's
 * {@code dev.capstan.engine.admission} package type-checks and evaluates them.
 */
package dev.capstan.dsl.policy;
