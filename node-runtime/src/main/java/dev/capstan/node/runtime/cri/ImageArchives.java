package dev.capstan.node.runtime.cri;

import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.internal.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports OCI image layouts and {@code docker save} archives into containerd. CRI has no import call, so
 * this runs containerd's own client, {@code ctr --address SOCKET -n k8s.io images import [--base-name
 * NAME] FILE}, which ships with Debian's containerd package; namespace {@code k8s.io} is the one CRI
 * (and so the agent) sees.
 */
public final class ImageArchives {
    private ImageArchives() {
    }

    /**
     * The command that imports {@code archive}. {@code reference} (e.g. {@code capstan.local/app:1.0}) names
     * an OCI archive whose index only carries a tag; null keeps the names the archive carries (a docker
     * archive's RepoTags, an OCI archive's full {@code io.containerd.image.name} annotations).
     */
    public static List<String> importCommand(Path socket, Path archive, String reference) throws RuntimeFailure {
        Path ctr = HostTools.findBinary("ctr").orElseThrow(() -> new RuntimeFailure(
                "the ctr command is missing (it comes with Debian's containerd package: apt-get install containerd)"));
        List<String> cmd = new ArrayList<>(List.of(ctr.toString(), "--address", socket.toString(), "-n", "k8s.io",
                "images", "import"));
        if (reference != null) {
            int colon = reference.lastIndexOf(':');
            cmd.add("--base-name");
            cmd.add(colon > reference.lastIndexOf('/') ? reference.substring(0, colon) : reference);
        }
        cmd.add(archive.toString());
        return cmd;
    }

    /** Runs {@link #importCommand} and returns what ctr printed (one {@code unpacking NAME (DIGEST)...} line per image). */
    public static String importArchive(Path socket, Path archive, String reference) throws RuntimeFailure {
        if (!Files.isRegularFile(archive)) {
            throw new RuntimeFailure("no image archive at " + archive);
        }
        if (!Files.exists(socket)) {
            throw new RuntimeFailure("no containerd socket at " + socket);
        }
        List<String> cmd = importCommand(socket, archive, reference);
        try {
            HostTools.Result r = HostTools.run(Duration.ofMinutes(5), cmd);
            if (r.exitCode() != 0) {
                throw new RuntimeFailure("ctr could not import " + archive + " (exit " + r.exitCode() + "): "
                        + r.output().strip());
            }
            return r.output().strip();
        } catch (IOException e) {
            throw new RuntimeFailure("cannot run ctr: " + e.getMessage(), e);
        }
    }
}
