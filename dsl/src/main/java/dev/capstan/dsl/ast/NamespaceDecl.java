package dev.capstan.dsl.ast;

import java.util.List;

/** {@code namespace NAME { labels { ... } }}. */
public record NamespaceDecl(Location location, Identifier name, List<Attribute> attributes, boolean complete)
        implements Declaration {
    public NamespaceDecl {
        attributes = List.copyOf(attributes);
    }
}
