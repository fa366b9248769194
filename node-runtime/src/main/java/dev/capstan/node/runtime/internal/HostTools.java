package dev.capstan.node.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Looks things up on the host: binaries, busybox, whether we are root; runs short commands. */
public final class HostTools {

    /** Searched after {@code $PATH}: a root shell's PATH sometimes lacks the sbin directories. */
    private static final List<String> EXTRA_DIRS =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    /** Where Debian's busybox-static and busybox packages put the binary (before and after usr-merge). */
    private static final List<String> BUSYBOX_CANDIDATES = List.of("/bin/busybox", "/usr/bin/busybox");

    private HostTools() {
    }

    /** The first executable regular file called {@code name} on {@code $PATH} or in the usual bin/sbin dirs. */
    public static Optional<Path> findBinary(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isBlank()) {
                    dirs.add(dir);
                }
            }
        }
        dirs.addAll(EXTRA_DIRS);
        for (String dir : dirs) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** True when this process runs with effective uid 0 (read from {@code /proc/self/status}). */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids.length > 1 && ids[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * The host's busybox, resolved to its real path.
     *
     * @param staticOnly when true, only a statically linked busybox qualifies (one that can run in an
     *                   image without a C library, as Debian's {@code busybox-static} is)
     */
    public static Optional<Path> findBusybox(boolean staticOnly) {
        List<Path> candidates = new ArrayList<>();
        BUSYBOX_CANDIDATES.forEach(c -> candidates.add(Path.of(c)));
        findBinary("busybox").ifPresent(candidates::add);
        for (Path candidate : candidates) {
            try {
                if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) {
                    continue;
                }
                Path real = candidate.toRealPath();
                if (!staticOnly || isStaticElf(real)) {
                    return Optional.of(real);
                }
            } catch (IOException e) {
                // unreadable candidate: try the next one
            }
        }
        return Optional.empty();
    }

    /** True when {@code file} is an ELF executable without a program interpreter (no dynamic loader needed). */
    public static boolean isStaticElf(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer head = ByteBuffer.allocate(64);
            ch.read(head, 0);
            head.flip();
            if (head.remaining() < 52 || head.get(0) != 0x7f || head.get(1) != 'E' || head.get(2) != 'L'
                    || head.get(3) != 'F') {
                return false;
            }
            boolean is64 = head.get(4) == 2;
            head.order(head.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            long phoff = is64 ? head.getLong(0x20) : Integer.toUnsignedLong(head.getInt(0x1c));
            int phentsize = Short.toUnsignedInt(head.getShort(is64 ? 0x36 : 0x2a));
            int phnum = Short.toUnsignedInt(head.getShort(is64 ? 0x38 : 0x2c));
            ByteBuffer ph = ByteBuffer.allocate(4).order(head.order());
            for (int i = 0; i < phnum; i++) {
                ph.clear();
                ch.read(ph, phoff + (long) i * phentsize);
                if (ph.getInt(0) == 3) { // PT_INTERP
                    return false;
                }
            }
            return true;
        }
    }

    /** The applet names a busybox binary provides ({@code busybox --list}). */
    public static List<String> busyboxApplets(Path busybox) throws IOException {
        Result r = run(Duration.ofSeconds(10), List.of(busybox.toString(), "--list"));
        if (r.exitCode() != 0) {
            throw new IOException(busybox + " --list failed: " + r.output().strip());
        }
        List<String> applets = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            String name = line.strip();
            if (name.matches("[A-Za-z0-9_.\\[\\]-]+") && !name.equals("busybox")) {
                applets.add(name);
            }
        }
        return applets;
    }

    /** What a short command printed (stdout and stderr together) and how it exited. */
    public record Result(int exitCode, String output) {
    }

    /** Runs a short command, waits at most {@code timeout}, and kills it when it takes longer. */
    public static Result run(Duration timeout, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> out = new CompletableFuture<>();
        Thread reader = new Thread(() -> out.complete(readAll(p.getInputStream())), "capstan-run-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + command.get(0), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Result(p.exitValue(), "");
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code lines} lines of a text file, or "" when it cannot be read. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
