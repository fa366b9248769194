package dev.capstan.dsl.ast;

/** A name as written (not yet checked to be a DNS label). */
public record Identifier(Location location, String value) implements Node {
}
