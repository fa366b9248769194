package dev.capstan.dsl.ast;

import java.util.List;

/**
 * {@code template NAME [extends PARENT] { attributes }}: service attributes that services reuse with
 * {@code extends NAME}; {@code parent} is null when absent.
 */
public record TemplateDecl(Location location, Identifier name, Identifier parent, List<Attribute> attributes,
                           boolean complete) implements Declaration {
    public TemplateDecl {
        attributes = List.copyOf(attributes);
    }
}
