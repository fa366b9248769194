package dev.capstan.dsl.ast;

import java.util.List;

/** {@code service NAME in NAMESPACE { ... }}; {@code namespace} is null when the parser could not read it. */
public record ServiceDecl(Location location, Identifier name, Identifier namespace, List<Attribute> attributes,
                          boolean complete) implements Declaration {
    public ServiceDecl {
        attributes = List.copyOf(attributes);
    }
}
