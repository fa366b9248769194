package dev.capstan.node.runtime.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OciImageWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] sampleLayer() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(buf);
        tar.directory("bin", 0755);
        tar.file("bin/hello", 0755, "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8));
        tar.symlink("bin/hi", "hello");
        tar.directory("tmp", 01777);
        tar.finish();
        return buf.toByteArray();
    }

    private static byte[] write(byte[] layer, OciImageWriter.Written[] written) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        written[0] = OciImageWriter.write(out, "capstan.local/test:1.0", layer,
                new OciImageWriter.ImageConfig(List.of("/bin/hello"), List.of("x"), List.of("PATH=/bin"), "/"), "amd64");
        return out.toByteArray();
    }

    @Test
    void writesAnOciLayoutWhoseBlobsMatchTheirDigests() throws Exception {
        byte[] layer = sampleLayer();
        OciImageWriter.Written[] w = new OciImageWriter.Written[1];
        Map<String, TarEntries.Entry> archive = TarEntries.read(write(layer, w));

        assertThat(archive).containsKeys("oci-layout", "index.json", "blobs/", "blobs/sha256/");
        assertThat(JSON.readTree(archive.get("oci-layout").content()).get("imageLayoutVersion").asText()).isEqualTo("1.0.0");
        for (var e : archive.entrySet()) {
            if (e.getKey().startsWith("blobs/sha256/") && e.getValue().type() == '0') {
                assertThat("sha256:" + e.getKey().substring("blobs/sha256/".length()))
                        .as("blob name is its digest").isEqualTo(OciImageWriter.sha256(e.getValue().content()));
            }
        }

        JsonNode index = JSON.readTree(archive.get("index.json").content());
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        JsonNode entry = index.get("manifests").get(0);
        assertThat(entry.get("mediaType").asText()).isEqualTo(OciImageWriter.MANIFEST_TYPE);
        assertThat(entry.get("digest").asText()).isEqualTo(w[0].manifestDigest());
        assertThat(entry.get("annotations").get(OciImageWriter.REF_NAME).asText()).isEqualTo("capstan.local/test:1.0");
        assertThat(entry.get("platform").get("os").asText()).isEqualTo("linux");

        byte[] manifestBytes = archive.get(OciImageWriter.blobPath(w[0].manifestDigest())).content();
        assertThat(entry.get("size").asLong()).isEqualTo(manifestBytes.length);
        JsonNode manifest = JSON.readTree(manifestBytes);
        assertThat(manifest.get("config").get("digest").asText()).isEqualTo(w[0].configDigest());
        JsonNode layerDesc = manifest.get("layers").get(0);
        assertThat(layerDesc.get("mediaType").asText()).isEqualTo(OciImageWriter.LAYER_TYPE);
        assertThat(layerDesc.get("digest").asText()).isEqualTo(w[0].layerDigest());

        JsonNode config = JSON.readTree(archive.get(OciImageWriter.blobPath(w[0].configDigest())).content());
        assertThat(config.get("rootfs").get("diff_ids").get(0).asText())
                .as("diff id is the digest of the uncompressed layer").isEqualTo(OciImageWriter.sha256(layer));
        assertThat(config.get("config").get("Entrypoint").get(0).asText()).isEqualTo("/bin/hello");
        assertThat(config.get("config").get("Env").get(0).asText()).isEqualTo("PATH=/bin");

        byte[] gz = archive.get(OciImageWriter.blobPath(w[0].layerDigest())).content();
        assertThat(layerDesc.get("size").asLong()).isEqualTo(gz.length);
        Map<String, TarEntries.Entry> files = TarEntries.readGzip(gz);
        assertThat(files.get("bin/hi").linkName()).isEqualTo("hello");
        assertThat(files.get("tmp/").mode()).isEqualTo(01777);
    }

    @Test
    void sameInputGivesSameBytes() throws Exception {
        byte[] layer = sampleLayer();
        OciImageWriter.Written[] a = new OciImageWriter.Written[1];
        OciImageWriter.Written[] b = new OciImageWriter.Written[1];
        assertThat(write(layer, a)).isEqualTo(write(layer, b));
        assertThat(a[0]).isEqualTo(b[0]);
    }

    @Test
    void systemTarReadsWhatTarWriterWrote(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/tar")) || Files.isExecutable(Path.of("/usr/bin/tar")), "no tar command");
        Path file = dir.resolve("layer.tar");
        Files.write(file, sampleLayer());
        Process p = new ProcessBuilder("tar", "-tvf", file.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(listing).isZero();
        assertThat(listing).contains("bin/hello").contains("bin/hi -> hello").contains("drwxrwxrwt");
    }

    @Test
    void busyboxImageHasAppletLinksTmpAndWww(@TempDir Path dir) throws Exception {
        Path fakeBusybox = dir.resolve("busybox");
        Files.writeString(fakeBusybox, "#!/bin/sh\necho sh\necho grep\n");
        Files.setPosixFilePermissions(fakeBusybox, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tar = dir.resolve("busybox.tar");

        String digest = LocalImages.writeBusyboxImage(fakeBusybox, tar);

        Map<String, TarEntries.Entry> archive = TarEntries.read(Files.readAllBytes(tar));
        Map<String, TarEntries.Entry> layer = TarEntries.readGzip(archive.values().stream()
                .filter(e -> e.content().length > 2 && (e.content()[0] & 0xff) == 0x1f && (e.content()[1] & 0xff) == 0x8b)
                .findFirst().orElseThrow().content());
        assertThat(layer.get("bin/busybox").mode()).isEqualTo(0755);
        for (String applet : LocalImages.REQUIRED_APPLETS) {
            assertThat(layer.get("bin/" + applet)).as(applet).isNotNull();
            assertThat(layer.get("bin/" + applet).linkName()).isEqualTo("busybox");
        }
        assertThat(layer).containsKey("bin/grep"); // from "busybox --list"
        assertThat(layer.get("tmp/").mode()).isEqualTo(01777);
        assertThat(new String(layer.get("www/index.html").content(), StandardCharsets.UTF_8)).contains("Hello");
        assertThat(archive).containsKey(OciImageWriter.blobPath(digest));
    }

    @Test
    void pauseImageFallsBackToABusyboxShellLoop(@TempDir Path dir) throws Exception {
        Path fakeBusybox = dir.resolve("busybox");
        Files.writeString(fakeBusybox, "binary");
        Path tar = dir.resolve("pause.tar");
        LocalImages.writePauseImage(null, fakeBusybox, tar);
        String all = new String(Files.readAllBytes(tar), StandardCharsets.ISO_8859_1);
        assertThat(all).contains("trap 'exit 0' TERM INT");
    }
}
