package dev.capstan.node.runtime.cri;

import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.internal.HostTools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds Capstan's two local images without a registry or Docker, and imports them into containerd:
 * {@value #BUSYBOX_IMAGE} (the host's static busybox with applet links, {@code /tmp} and
 * {@code /www/index.html}) and the sandbox image {@value #PAUSE_IMAGE} (a static {@code pause}
 * compiled with gcc when it is available, otherwise a busybox shell loop; either waits forever and
 * exits 0 on SIGTERM). Both are one-layer OCI archives written by {@link OciImageWriter}.
 */
public final class LocalImages {

    public static final String BUSYBOX_IMAGE = "capstan.local/busybox:1.35";
    public static final String PAUSE_IMAGE = "capstan.local/pause:1.0";

    /** Applets the busybox image links in {@code /bin} even when {@code busybox --list} fails. */
    public static final List<String> REQUIRED_APPLETS = List.of("sh", "httpd", "sleep", "echo", "cat", "ls", "env",
            "wget", "mkdir", "true", "false", "kill", "nc");

    static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final String INDEX_HTML = "<!doctype html>\n<title>Capstan</title>\n<h1>Hello from capstan.local/busybox</h1>\n";
    static final String SHELL_PAUSE = "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done";

    private static final String PAUSE_C = """
            /* Capstan's sandbox process: wait forever, reap orphans, exit 0 on SIGTERM or SIGINT. */
            #include <signal.h>
            #include <sys/wait.h>
            #include <unistd.h>
            static void stop(int sig) { (void) sig; _exit(0); }
            static void reap(int sig) { (void) sig; while (waitpid(-1, 0, WNOHANG) > 0) {} }
            int main(void) {
                struct sigaction term = {0}, chld = {0};
                term.sa_handler = stop;
                sigaction(SIGTERM, &term, 0);
                sigaction(SIGINT, &term, 0);
                chld.sa_handler = reap;
                chld.sa_flags = SA_NOCLDSTOP | SA_RESTART;
                sigaction(SIGCHLD, &chld, 0);
                for (;;) pause();
                return 1;
            }
            """;

    private LocalImages() {
    }

    /**
     * Imports whichever of the two images containerd does not have yet (checked with CRI ImageStatus).
     *
     * @param socket  containerd's gRPC socket
     * @param workDir where to build the archives (created if missing; may be reused between calls)
     * @return the references that were imported; empty when both were already there
     */
    public static List<String> ensure(Path socket, Path workDir) throws RuntimeFailure {
        List<String> imported = new ArrayList<>();
        try (CriClient client = CriClient.connect(socket)) {
            boolean needBusybox = !client.hasImage(BUSYBOX_IMAGE);
            boolean needPause = !client.hasImage(PAUSE_IMAGE);
            if (!needBusybox && !needPause) {
                return imported;
            }
            Path busybox = HostTools.findBusybox(true).orElseThrow(() -> new RuntimeFailure(
                    "cannot build " + BUSYBOX_IMAGE + ": no statically linked busybox on this host"
                            + " (apt-get install busybox-static)"));
            Files.createDirectories(workDir);
            if (needBusybox) {
                Path tar = workDir.resolve("busybox-image.tar");
                writeBusyboxImage(busybox, tar);
                importArchive(socket, BUSYBOX_IMAGE, tar);
                imported.add(BUSYBOX_IMAGE);
            }
            if (needPause) {
                Path tar = workDir.resolve("pause-image.tar");
                writePauseImage(buildPauseBinary(workDir).orElse(null), busybox, tar);
                importArchive(socket, PAUSE_IMAGE, tar);
                imported.add(PAUSE_IMAGE);
            }
            return imported;
        } catch (IOException e) {
            throw new RuntimeFailure("cannot build the local images in " + workDir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the busybox image archive. Returns the manifest digest. */
    public static String writeBusyboxImage(Path busybox, Path tarFile) throws IOException {
        return writeBusyboxImage(busybox, tarFile, BUSYBOX_IMAGE);
    }

    /** Writes the busybox image archive under another reference. Returns the manifest digest. */
    public static String writeBusyboxImage(Path busybox, Path tarFile, String reference) throws IOException {
        Set<String> applets = new LinkedHashSet<>(REQUIRED_APPLETS);
        try {
            applets.addAll(HostTools.busyboxApplets(busybox));
        } catch (IOException e) {
            // the required applets are enough
        }
        ByteArrayOutputStream layer = new ByteArrayOutputStream(4 << 20);
        TarWriter tar = new TarWriter(layer);
        for (String dir : List.of("bin", "dev", "etc", "proc", "sys", "usr", "usr/bin", "var", "www")) {
            tar.directory(dir, 0755);
        }
        tar.directory("root", 0700);
        tar.directory("tmp", 01777);
        tar.file("bin/busybox", 0755, Files.readAllBytes(busybox));
        for (String applet : applets) {
            tar.symlink("bin/" + applet, "busybox");
        }
        tar.symlink("usr/bin/env", "/bin/busybox");
        tar.file("etc/passwd", 0644, utf8("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"));
        tar.file("etc/group", 0644, utf8("root:x:0:\nnogroup:x:65534:\n"));
        tar.file("www/index.html", 0644, utf8(INDEX_HTML));
        tar.finish();
        var config = new OciImageWriter.ImageConfig(List.of(), List.of("sh"), List.of(PATH_ENV), "/");
        return writeArchive(tarFile, reference, layer.toByteArray(), config);
    }

    /**
     * Writes the sandbox image archive: {@code /pause} when a static pause binary is given, else
     * busybox running {@value #SHELL_PAUSE}. Returns the manifest digest.
     */
    public static String writePauseImage(Path pauseBinary, Path busybox, Path tarFile) throws IOException {
        ByteArrayOutputStream layer = new ByteArrayOutputStream(4 << 20);
        TarWriter tar = new TarWriter(layer);
        OciImageWriter.ImageConfig config;
        if (pauseBinary != null) {
            tar.file("pause", 0755, Files.readAllBytes(pauseBinary));
            config = new OciImageWriter.ImageConfig(List.of("/pause"), List.of(), List.of(PATH_ENV), "/");
        } else {
            tar.directory("bin", 0755);
            tar.file("bin/busybox", 0755, Files.readAllBytes(busybox));
            tar.symlink("bin/sh", "busybox");
            tar.symlink("bin/sleep", "busybox");
            config = new OciImageWriter.ImageConfig(List.of("/bin/sh", "-c", SHELL_PAUSE), List.of(),
                    List.of(PATH_ENV), "/");
        }
        tar.directory("tmp", 01777);
        tar.finish();
        return writeArchive(tarFile, PAUSE_IMAGE, layer.toByteArray(), config);
    }

    /**
     * Compiles the static pause program with gcc into {@code workDir/pause}, or reuses it.
     * Empty when gcc (or a static C library) is missing.
     */
    public static Optional<Path> buildPauseBinary(Path workDir) {
        Path binary = workDir.resolve("pause");
        try {
            if (Files.isExecutable(binary) && HostTools.isStaticElf(binary)) {
                return Optional.of(binary);
            }
            Optional<Path> gcc = HostTools.findBinary("gcc");
            if (gcc.isEmpty()) {
                return Optional.empty();
            }
            Files.createDirectories(workDir);
            Path source = workDir.resolve("pause.c");
            Files.writeString(source, PAUSE_C);
            Path tmp = workDir.resolve("pause.tmp");
            HostTools.Result r = HostTools.run(Duration.ofSeconds(60), List.of(gcc.get().toString(), "-static", "-Os",
                    "-s", "-o", tmp.toString(), source.toString()));
            if (r.exitCode() != 0 || !HostTools.isStaticElf(tmp)) {
                Files.deleteIfExists(tmp);
                return Optional.empty();
            }
            Files.move(tmp, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(binary);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Imports an archive into containerd's {@code k8s.io} namespace (the one CRI uses) with {@code ctr}. */
    public static void importArchive(Path socket, String reference, Path tarFile) throws RuntimeFailure {
        try {
            ImageArchives.importArchive(socket, tarFile, reference);
        } catch (RuntimeFailure e) {
            throw new RuntimeFailure("cannot import " + reference + ": " + e.getMessage(), e);
        }
    }

    private static String writeArchive(Path tarFile, String reference, byte[] layer, OciImageWriter.ImageConfig config)
            throws IOException {
        Path tmp = tarFile.resolveSibling(tarFile.getFileName() + ".tmp");
        OciImageWriter.Written written;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
            written = OciImageWriter.write(out, reference, layer, config, OciImageWriter.hostArchitecture());
        }
        Files.move(tmp, tarFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return written.manifestDigest();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
