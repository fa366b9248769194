package dev.capstan.engine.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * A kubeconfig file with one cluster, one user (a bearer token) and one context, {@code capstan}: what
 * {@code capstan up} writes so that kubectl and {@code capstan get} reach the API server.
 *
 * @param server                  the API server's URL
 * @param token                   the bearer token
 * @param certificateAuthorityPem the PEM certificate to trust for {@code https://}, or null (system trust)
 */
public record Kubeconfig(URI server, String token, String certificateAuthorityPem) {

    public static final String CONTEXT = "capstan";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Writes the whole file (replacing it) atomically, readable by its owner only (0600 where the file
     * system has POSIX permissions). Point it at Capstan's own file, not a kubeconfig you keep by hand.
     */
    public void write(Path path) throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: v1\n");
        y.append("kind: Config\n");
        y.append("clusters:\n");
        y.append("- name: ").append(CONTEXT).append('\n');
        y.append("  cluster:\n");
        y.append("    server: ").append(quote(server.toString())).append('\n');
        if (certificateAuthorityPem != null) {
            y.append("    certificate-authority-data: ").append(Base64.getEncoder()
                    .encodeToString(certificateAuthorityPem.getBytes(StandardCharsets.US_ASCII))).append('\n');
        }
        y.append("users:\n");
        y.append("- name: ").append(CONTEXT).append("-admin\n");
        y.append("  user:\n");
        y.append("    token: ").append(quote(token)).append('\n');
        y.append("contexts:\n");
        y.append("- name: ").append(CONTEXT).append('\n');
        y.append("  context:\n");
        y.append("    cluster: ").append(CONTEXT).append('\n');
        y.append("    user: ").append(CONTEXT).append("-admin\n");
        y.append("current-context: ").append(CONTEXT).append('\n');
        y.append("preferences: {}\n");
        writePrivately(path, y.toString());
    }

    /**
     * Reads the server, token and certificate authority of the current context (or of the only context).
     * Understands {@code certificate-authority-data}, {@code certificate-authority} (a file) and
     * {@code tokenFile}, so a kubeconfig written by other tools works too.
     */
    public static Kubeconfig read(Path path) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(path.toFile());
        } catch (IOException e) {
            throw new IOException("kubeconfig " + path + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("kubeconfig " + path + " is empty or not a YAML mapping");
        }
        String contextName = root.path("current-context").asText("");
        if (contextName.isEmpty() && root.path("contexts").size() == 1) {
            contextName = root.path("contexts").get(0).path("name").asText("");
        }
        JsonNode context = named(root, "contexts", contextName, path).path("context");
        JsonNode cluster = named(root, "clusters", context.path("cluster").asText(""), path).path("cluster");
        JsonNode user = named(root, "users", context.path("user").asText(""), path).path("user");
        String server = cluster.path("server").asText("");
        if (server.isEmpty()) {
            throw new IOException("kubeconfig " + path + ": cluster of context '" + contextName + "' has no server");
        }
        String ca = null;
        if (cluster.hasNonNull("certificate-authority-data")) {
            ca = new String(Base64.getMimeDecoder().decode(cluster.get("certificate-authority-data").asText()),
                    StandardCharsets.US_ASCII);
        } else if (cluster.hasNonNull("certificate-authority")) {
            ca = Files.readString(resolve(path, cluster.get("certificate-authority").asText()));
        }
        String token = user.path("token").asText("");
        if (token.isEmpty() && user.hasNonNull("tokenFile")) {
            token = Files.readString(resolve(path, user.get("tokenFile").asText())).strip();
        }
        if (token.isEmpty()) {
            throw new IOException("kubeconfig " + path + ": user of context '" + contextName + "' has no token");
        }
        try {
            return new Kubeconfig(URI.create(server), token, ca);
        } catch (IllegalArgumentException e) {
            throw new IOException("kubeconfig " + path + ": server '" + server + "' is not a URL", e);
        }
    }

    private static JsonNode named(JsonNode root, String list, String name, Path path) throws IOException {
        for (JsonNode n : root.path(list)) {
            if (name.equals(n.path("name").asText(null))) {
                return n;
            }
        }
        throw new IOException("kubeconfig " + path + ": no entry named '" + name + "' in " + list);
    }

    private static Path resolve(Path kubeconfig, String file) {
        Path f = Path.of(file);
        Path dir = kubeconfig.toAbsolutePath().getParent();
        return f.isAbsolute() || dir == null ? f : dir.resolve(f);
    }

    /** A YAML double-quoted scalar. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static void writePrivately(Path path, String content) throws IOException {
        Path abs = path.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(abs.getParent(), ".kubeconfig", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(abs.getParent(), ".kubeconfig", ".tmp");
        try {
            Files.writeString(tmp, content);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (posix) {
            Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
