package dev.capstan.dsl.ast;

import java.util.List;

/**
 * {@code service NAME in NAMESPACE [extends TEMPLATE] { ... }}; {@code namespace} is null when the parser could
 * not read it, {@code template} when absent.
 */
public record ServiceDecl(Location location, Identifier name, Identifier namespace, Identifier template,
                          List<Attribute> attributes, boolean complete) implements Declaration {
    public ServiceDecl {
        attributes = List.copyOf(attributes);
    }

    /** The same service with other attributes (a template's merged in). */
    public ServiceDecl withAttributes(List<Attribute> merged) {
        return new ServiceDecl(location, name, namespace, template, merged, complete);
    }

    /** The same service marked incomplete: checks that need the whole block (a required image) skip it. */
    public ServiceDecl asIncomplete() {
        return new ServiceDecl(location, name, namespace, template, attributes, false);
    }
}
