/**
 * The syntax tree of a {@code .cap} file: what the source says, every node with its {@link
 * dev.capstan.dsl.ast.Location}, nothing checked yet. Built by the parser, read by the analyzer and
 * (later) the formatter.
 */
package dev.capstan.dsl.ast;
