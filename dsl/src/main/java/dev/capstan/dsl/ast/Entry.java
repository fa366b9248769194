package dev.capstan.dsl.ast;

/**
 * One {@code KEY = "value"} of a map; the location is the key's. The key is a name or a string, unquoted.
 * In an {@code env} map the value may instead be a {@link ServiceRef} ({@code ref}, non-null); {@code value}
 * then holds the reference as written, at its location.
 */
public record Entry(Location location, String key, StringLit value, ServiceRef ref) implements Node {
    public Entry(Location location, String key, StringLit value) {
        this(location, key, value, null);
    }
}
