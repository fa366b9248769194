package dev.capstan.dsl.ast;

/** A string literal; {@code value} has its escapes resolved and its quotes removed. */
public record StringLit(Location location, String value) implements Node {
}
