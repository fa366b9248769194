package dev.capstan.node.runtime.cri;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a one-layer image as an OCI image layout in a tar archive ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/...}), the form {@code ctr images import} reads.
 * The output is deterministic: the same layer and config give the same digests.
 */
final class OciImageWriter {

    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The process an image runs by default. */
    record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir) {
    }

    /** Digests ({@code sha256:<hex>}) of what was written; {@code diffId} is the uncompressed layer's. */
    record Written(String manifestDigest, String configDigest, String layerDigest, String diffId) {
    }

    private OciImageWriter() {
    }

    /**
     * Writes the archive.
     *
     * @param reference full reference, e.g. {@code capstan.local/busybox:1.35}, recorded as the
     *                  {@code org.opencontainers.image.ref.name} annotation
     * @param layerTar  the layer as an uncompressed tar
     * @param arch      OCI architecture name ({@code amd64}, {@code arm64})
     */
    static Written write(OutputStream out, String reference, byte[] layerTar, ImageConfig config, String arch)
            throws IOException {
        String diffId = sha256(layerTar);
        byte[] layer = gzip(layerTar);
        String layerDigest = sha256(layer);

        Map<String, Object> runConfig = new LinkedHashMap<>();
        runConfig.put("Env", config.env());
        if (!config.entrypoint().isEmpty()) {
            runConfig.put("Entrypoint", config.entrypoint());
        }
        if (!config.cmd().isEmpty()) {
            runConfig.put("Cmd", config.cmd());
        }
        runConfig.put("WorkingDir", config.workingDir());
        Map<String, Object> imageConfig = new LinkedHashMap<>();
        imageConfig.put("created", "2024-01-01T00:00:00Z");
        imageConfig.put("architecture", arch);
        imageConfig.put("os", "linux");
        imageConfig.put("config", runConfig);
        imageConfig.put("rootfs", ordered("type", "layers", "diff_ids", List.of(diffId)));
        imageConfig.put("history", List.of(ordered("created", "2024-01-01T00:00:00Z",
                "created_by", "capstan LocalImages (" + reference + ")")));
        byte[] configJson = JSON.writeValueAsBytes(imageConfig);
        String configDigest = sha256(configJson);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_TYPE);
        manifest.put("config", descriptor(CONFIG_TYPE, configDigest, configJson.length));
        manifest.put("layers", List.of(descriptor(LAYER_TYPE, layerDigest, layer.length)));
        byte[] manifestJson = JSON.writeValueAsBytes(manifest);
        String manifestDigest = sha256(manifestJson);

        Map<String, Object> entry = descriptor(MANIFEST_TYPE, manifestDigest, manifestJson.length);
        entry.put("annotations", ordered(REF_NAME, reference));
        entry.put("platform", ordered("architecture", arch, "os", "linux"));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX_TYPE);
        index.put("manifests", List.of(entry));

        TarWriter tar = new TarWriter(out);
        tar.file("oci-layout", 0644, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        tar.file("index.json", 0644, JSON.writeValueAsBytes(index));
        tar.directory("blobs", 0755);
        tar.directory("blobs/sha256", 0755);
        tar.file(blobPath(layerDigest), 0644, layer);
        tar.file(blobPath(configDigest), 0644, configJson);
        tar.file(blobPath(manifestDigest), 0644, manifestJson);
        tar.finish();
        out.flush();
        return new Written(manifestDigest, configDigest, layerDigest, diffId);
    }

    /** {@code blobs/sha256/<hex>} for a {@code sha256:<hex>} digest. */
    static String blobPath(String digest) {
        return "blobs/sha256/" + digest.substring("sha256:".length());
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The OCI architecture name of this JVM's platform. */
    static String hostArchitecture() {
        String arch = System.getProperty("os.arch", "amd64");
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    /** A map that keeps its keys in the order given (Map.of's order changes from one JVM run to the next). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(data.length / 2);
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(data);
        }
        return buf.toByteArray();
    }
}
