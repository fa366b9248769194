package dev.capstan.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/** Removal of a benchmark's temporary directory. */
final class TempDirs {
    private TempDirs() {
    }

    /**
     * Deletes {@code dir} and everything below it without following links. Leaves it alone, and says so,
     * when something is still mounted below it (a container runtime that did not clean up): deleting
     * through a mount could reach files that are not the benchmark's.
     */
    static void delete(Path dir, Report report) {
        if (!Files.exists(dir)) {
            return;
        }
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            report.progress("could not remove " + dir + ": " + e.getMessage());
            return;
        }
        if (mountedUnder(real)) {
            report.progress("left " + dir + " in place: something is still mounted below it");
            return;
        }
        try {
            Files.walkFileTree(real, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    Files.deleteIfExists(file); // a socket or a file removed meanwhile
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            report.progress("could not remove all of " + dir + ": " + e.getMessage());
        }
    }

    private static boolean mountedUnder(Path dir) {
        Path info = Path.of("/proc/self/mountinfo");
        if (!Files.isReadable(info)) {
            return false;
        }
        try {
            List<String> lines = Files.readAllLines(info, StandardCharsets.UTF_8);
            String prefix = dir + "/";
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f.length > 4 && (f[4].equals(dir.toString()) || f[4].startsWith(prefix))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true; // cannot tell: be safe
        }
    }
}
