package dev.capstan.cli;

import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.cri.ImageArchives;
import dev.capstan.node.runtime.cri.LocalImages;
import dev.capstan.node.runtime.internal.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code capstan image import|build-busybox}: images for containerd without a registry. */
@Command(name = "image", description = "Images for the containerd runtime, without a registry.",
        subcommands = {ImageCommand.Import.class, ImageCommand.BuildBusybox.class})
final class ImageCommand {

    /** The private containerd 'capstan up' starts, unless a socket is given. */
    static Path socket(String given, Path stateDir) {
        Path socket = given != null ? Path.of(given)
                : (stateDir != null ? stateDir : UpCommand.HOME.resolve("state")).resolve("containerd")
                .resolve("containerd.sock");
        if (!Files.exists(socket)) {
            throw new UserError("no containerd socket at " + socket + ": start 'capstan up' (its private containerd)"
                    + " or pass --containerd-socket PATH", 2);
        }
        return socket;
    }

    @Command(name = "import", description = {"Import an OCI image layout or 'docker save' archive into containerd.",
            "Runs containerd's own client: ctr --address SOCKET -n k8s.io images import [--base-name NAME] FILE."})
    static final class Import implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The archive (.tar).")
        Path file;

        @Option(names = "--name", paramLabel = "REF",
                description = "Name an OCI archive whose index carries only a tag, e.g. capstan.local/app:1.0.")
        String name;

        @Option(names = "--containerd-socket", paramLabel = "PATH",
                description = "The containerd to import into (default: the private one of 'capstan up').")
        String containerdSocket;

        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "The state directory of the 'capstan up' or 'capstan agent' whose containerd to use.")
        Path stateDir;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new UserError("no such file: " + file, 2);
            }
            Path socket = socket(containerdSocket, stateDir);
            try {
                List<String> cmd = ImageArchives.importCommand(socket, file, name);
                System.out.println("running: " + String.join(" ", cmd));
                String out = ImageArchives.importArchive(socket, file, name);
                if (!out.isEmpty()) {
                    System.out.println(out);
                }
            } catch (RuntimeFailure e) {
                throw new UserError(e.getMessage());
            }
            return 0;
        }
    }

    @Command(name = "build-busybox", description = {"Write the examples' image (" + LocalImages.BUSYBOX_IMAGE
            + ") as an OCI archive,", "from this host's static busybox (apt-get install busybox-static); no registry, no Docker."})
    static final class BuildBusybox implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "busybox-image.tar",
                description = "Where to write it (default: ${DEFAULT-VALUE}).")
        Path output;

        @Option(names = "--name", paramLabel = "REF", defaultValue = LocalImages.BUSYBOX_IMAGE,
                description = "The image's name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            Path busybox = HostTools.findBusybox(true).orElseThrow(() -> new UserError(
                    "no statically linked busybox on this host: apt-get install busybox-static"));
            try {
                String digest = LocalImages.writeBusyboxImage(busybox, output, name);
                System.out.println("wrote " + name + " (" + digest + ") from " + busybox + " to " + output);
                System.out.println("import it with: capstan image import " + output);
            } catch (IOException e) {
                throw new UserError("cannot write " + output + ": " + e.getMessage());
            }
            return 0;
        }
    }
}
