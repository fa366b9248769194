package dev.capstan.dsl.ast;

/** A number as written, possibly with a unit: {@code 2}, {@code -1}, {@code 0.5}, {@code 100m}, {@code 32Mi}. */
public record NumberLit(Location location, String text) implements Node {
}
