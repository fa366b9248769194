package dev.capstan.dsl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads {@code .cap} files from disk.
 *
 * <p>I/O problems are exceptions, not diagnostics: a missing path, an unreadable file, bytes that are
 * not UTF-8 or a file over {@link #MAX_FILE_BYTES} throw an {@link IOException} whose message starts with
 * the path; the caller (the CLI, git-sync) shows it as one line. Everything about the text itself is
 * left to the compiler.
 */
public final class SourceFiles {
    /** Largest file read, 4 MiB; larger files are refused before they are read. */
    public static final long MAX_FILE_BYTES = 4L << 20;
    /** The extension of source files. */
    public static final String EXTENSION = ".cap";

    private SourceFiles() {
    }

    /**
     * Reads {@code path}: a single file (whatever its name), or every {@code *.cap} file under a directory,
     * recursively, skipping hidden directories (names starting with '.', such as {@code .git}) and not
     * following directory links.
     *
     * @param path        a file or a directory
     * @param displayBase paths are shown relative to this directory, with '/' separators; files outside
     *                    it keep the path as given
     * @return the files sorted by display path, texts decoded as UTF-8 with a leading byte order mark removed
     * @throws IOException naming the path, when it does not exist or a file cannot be read or decoded
     */
    public static List<SourceFile> load(Path path, Path displayBase) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(path)) {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    boolean hidden = !dir.equals(path) && dir.getFileName().toString().startsWith(".");
                    return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (file.getFileName().toString().endsWith(EXTENSION) && Files.isRegularFile(file)) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } else {
            found.add(path);
        }
        List<SourceFile> files = new ArrayList<>();
        for (Path file : found) {
            files.add(read(file, displayBase));
        }
        files.sort(Comparator.comparing(SourceFile::path));
        return List.copyOf(files);
    }

    /** Reads one file; see {@link #load} for paths, decoding and errors. */
    public static SourceFile read(Path file, Path displayBase) throws IOException {
        String shown = displayPath(file, displayBase);
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IOException(shown + ": file is too large (" + size + " bytes; the limit is "
                        + (MAX_FILE_BYTES >> 20) + " MiB)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(shown + ": ")) {
                throw e;
            }
            throw new IOException(shown + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(shown + ": not valid UTF-8", e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return new SourceFile(shown, text);
    }

    /** {@code file} relative to {@code base} with '/' separators, or as given when it is outside base. */
    static String displayPath(Path file, Path base) {
        Path absolute = file.toAbsolutePath().normalize();
        Path root = base.toAbsolutePath().normalize();
        Path shown = absolute.startsWith(root) && !absolute.equals(root) ? root.relativize(absolute) : file;
        return shown.toString().replace(shown.getFileSystem().getSeparator(), "/");
    }
}
