package dev.capstan.dsl.ast;

import java.util.List;

/**
 * One parsed file: its declarations in source order. Location is the file's start. {@code complete} is
 * false when the parser skipped text between declarations (or could not read one), so a declaration
 * may be missing.
 */
public record CapFile(Location location, List<Declaration> declarations, boolean complete) implements Node {
    public CapFile {
        declarations = List.copyOf(declarations);
    }

    public String path() {
        return location.path();
    }
}
