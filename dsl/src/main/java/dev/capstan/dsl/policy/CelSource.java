package dev.capstan.dsl.policy;

import dev.capstan.dsl.ast.Location;

/**
 * One CEL expression as written: {@code text} exactly as in the file (comments blanked to spaces, so offsets
 * still match), {@code location} the line and column of its first character. An error at character
 * {@code offset} of {@code text} is at {@link #at(int)}.
 */
public record CelSource(String text, Location location) {

    /** The file location of the character at {@code offset} (0-based, UTF-16) within {@link #text}. */
    public Location at(int offset) {
        int line = location.line();
        int column = location.column();
        int end = Math.max(0, Math.min(offset, text.length()));
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
            } else if (!Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new Location(location.path(), line, column);
    }
}
