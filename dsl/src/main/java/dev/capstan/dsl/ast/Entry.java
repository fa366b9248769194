package dev.capstan.dsl.ast;

/** One {@code KEY = "value"} of a map; the location is the key's. The key is a name or a string, unquoted. */
public record Entry(Location location, String key, StringLit value) implements Node {
}
