package dev.capstan.node.runtime.process;

import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.internal.HostTools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory of symbolic links to the host's busybox, one per applet ({@code busybox --list}), that
 * the process runtime puts first on PATH for busybox images: {@code httpd -f -p 8080} then works on a
 * host without an httpd.
 */
final class BusyboxApplets {

    private BusyboxApplets() {
    }

    /** Whether an image reference names a busybox image: its repository ends in {@code /busybox}. */
    static boolean isBusyboxImage(String image) {
        if (image == null) {
            return false;
        }
        String ref = image;
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
        }
        int colon = ref.lastIndexOf(':');
        if (colon > ref.lastIndexOf('/')) {
            ref = ref.substring(0, colon);
        }
        return ref.endsWith("/busybox") || ref.equals("busybox");
    }

    /** Creates (or reuses) {@code dir} with one link per applet, and returns it. */
    static Path ensure(Path dir) throws RuntimeFailure {
        return ensure(dir, HostTools.findBusybox(false));
    }

    /** As {@link #ensure(Path)}, with the busybox binary given (empty: not installed). */
    static Path ensure(Path dir, Optional<Path> hostBusybox) throws RuntimeFailure {
        Path busybox = hostBusybox.orElseThrow(() -> new RuntimeFailure(
                "busybox images need the host's busybox with the process runtime, and it is not installed:"
                        + " apt-get install busybox-static"));
        Path marker = dir.resolve("sh");
        try {
            if (Files.isSymbolicLink(marker) && Files.readSymbolicLink(marker).equals(busybox)) {
                return dir;
            }
            List<String> applets = HostTools.busyboxApplets(busybox);
            Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".tmp");
            for (String applet : applets) {
                Files.createSymbolicLink(tmp.resolve(applet), busybox);
            }
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                deleteTree(tmp);
                if (!Files.isSymbolicLink(marker)) {
                    throw raced;
                }
            }
            return dir;
        } catch (IOException e) {
            throw new RuntimeFailure("cannot prepare the busybox applets in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
