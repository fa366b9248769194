package dev.capstan.dsl.ast;

/** Any node of the tree. */
public interface Node {
    /** Where the node starts in its file (for a block: its first keyword). */
    Location location();
}
