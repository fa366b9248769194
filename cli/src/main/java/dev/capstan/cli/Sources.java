package dev.capstan.cli;

import dev.capstan.dsl.SourceFile;
import dev.capstan.dsl.SourceFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the {@code PATH…} arguments of check, fmt and export; every I/O problem is a {@link UserError}. */
final class Sources {
    private Sources() {
    }

    /** The source files under {@code paths}, shown relative to the working directory. */
    static List<SourceFile> load(List<Path> paths) {
        Path cwd = Path.of("").toAbsolutePath();
        List<SourceFile> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new UserError(p + ": no such file or directory");
            }
            try {
                files.addAll(SourceFiles.load(p, cwd));
            } catch (NoSuchFileException e) {
                throw new UserError(e.getFile() + ": no such file or directory");
            } catch (IOException e) {
                throw new UserError(e.getMessage() != null && e.getMessage().startsWith(p.toString())
                        ? e.getMessage() : p + ": cannot read: " + e.getMessage());
            }
        }
        if (files.isEmpty()) {
            throw new UserError("no .cap files found in " + paths);
        }
        return files;
    }

    /**
     * The files on disk that {@link #load} would read: each file argument, and every {@code *.cap} under a
     * directory argument (hidden directories skipped), in sorted order.
     */
    static List<Path> files(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new UserError(p + ": no such file or directory");
            }
            if (!Files.isDirectory(p)) {
                out.add(p);
                continue;
            }
            try (Stream<Path> walk = Files.walk(p)) {
                walk.filter(f -> f.getFileName().toString().endsWith(SourceFiles.EXTENSION) && Files.isRegularFile(f))
                        .filter(f -> !hidden(p, f)).sorted().forEach(out::add);
            } catch (IOException | UncheckedIOException e) {
                throw new UserError(p + ": cannot read: " + e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new UserError("no .cap files found in " + paths);
        }
        return out;
    }

    private static boolean hidden(Path root, Path file) {
        Path rel = root.relativize(file);
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            if (rel.getName(i).toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
