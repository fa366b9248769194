package dev.capstan.dsl;

import java.util.Objects;

/**
 * One {@code .cap} file in memory.
 *
 * @param path the path shown to users in diagnostics and in the {@code capstan.dev/source} annotation,
 *             relative and with '/' separators, e.g. {@code examples/hello/hello.cap}
 * @param text the whole file
 */
public record SourceFile(String path, String text) {
    public SourceFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
    }
}
