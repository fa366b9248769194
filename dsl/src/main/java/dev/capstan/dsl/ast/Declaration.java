package dev.capstan.dsl.ast;

import java.util.List;

/** A top-level block: {@code namespace}, {@code service}, {@code template}, or a policy block ({@link PolicyDecl}). */
public sealed interface Declaration extends Node permits NamespaceDecl, ServiceDecl, TemplateDecl, PolicyDecl {

    /** The declared name, or null when the parser could not read one (a syntax error says why). */
    Identifier name();

    /** Attributes in source order, repeated ones included. */
    List<Attribute> attributes();

    /**
     * False when the parser recovered from a syntax error inside this block: attributes may be missing,
     * so checks that need the whole block (a required attribute) do not run on it.
     */
    boolean complete();
}
