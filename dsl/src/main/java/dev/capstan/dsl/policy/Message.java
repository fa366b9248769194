package dev.capstan.dsl.policy;

import dev.capstan.dsl.ast.Location;
import java.util.List;

/**
 * A deny message: literal text and {@code ${expr}} parts in order. Each part is either a literal
 * ({@code expr} null) or a CEL expression ({@code literal} null).
 */
public record Message(Location location, List<Part> parts) {
    public Message {
        parts = List.copyOf(parts);
    }

    public record Part(String literal, CelSource expr) {
    }

    /** A message of one literal. */
    public static Message literal(Location at, String text) {
        return new Message(at, List.of(new Part(text, null)));
    }
}
