package dev.capstan.dsl.ast;

/** Where a node starts: the file's display path, 1-based line, 1-based column in code points. */
public record Location(String path, int line, int column) {

    @Override
    public String toString() {
        return path + ":" + line + ":" + column;
    }
}
