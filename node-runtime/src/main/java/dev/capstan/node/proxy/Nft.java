package dev.capstan.node.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code nft} command: nftables' own client, which talks to the kernel over netlink. One call is one
 * transaction: a script given on standard input ({@code nft -f -}) is applied whole or not at all.
 */
interface Nft {

    /**
     * Runs {@code nft ARGS}, with {@code script} on standard input when not null; returns standard output.
     *
     * @throws NftException when nft is missing, fails or takes longer than 10 s (the message is nft's own)
     */
    String run(List<String> args, String script);

    final class NftException extends RuntimeException {
        NftException(String message) {
            super(message);
        }
    }

    /** The {@code nft} binary of this host ({@code /usr/sbin/nft}, or on the PATH). */
    static Nft system() {
        String binary = "nft";
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, "nft"))) {
                binary = dir + "/nft";
                break;
            }
        }
        String nft = binary;
        return (args, script) -> {
            List<String> cmd = new ArrayList<>();
            cmd.add(nft);
            cmd.addAll(args);
            Process p;
            try {
                p = new ProcessBuilder(cmd).start();
            } catch (IOException e) {
                throw new NftException("cannot run nft (apt-get install nftables): " + e.getMessage());
            }
            try {
                CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
                CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
                try (OutputStream in = p.getOutputStream()) {
                    if (script != null) {
                        in.write(script.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new NftException("nft " + String.join(" ", args) + " did not finish within 10 s");
                }
                String error = new String(err.join(), StandardCharsets.UTF_8).strip();
                if (p.exitValue() != 0) {
                    throw new NftException(error.isEmpty() ? "nft exited with " + p.exitValue() : error);
                }
                return new String(out.join(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new NftException("nft: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new NftException("interrupted while nft ran");
            }
        };
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
