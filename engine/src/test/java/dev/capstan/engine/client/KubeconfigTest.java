package dev.capstan.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

    @TempDir
    Path dir;

    @Test
    void writesAReadableFileOnlyItsOwnerCanReadAndReadsItBack() throws IOException {
        Path f = dir.resolve("sub/kubeconfig");
        new Kubeconfig(URI.create("https://127.0.0.1:6443"), "s3cr\"et", PEM).write(f);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        String text = Files.readString(f);
        assertThat(text).contains("current-context: capstan\n").contains("    server: \"https://127.0.0.1:6443\"\n")
                .contains("    token: \"s3cr\\\"et\"\n").contains("certificate-authority-data: ");
        Kubeconfig back = Kubeconfig.read(f);
        assertThat(back).isEqualTo(new Kubeconfig(URI.create("https://127.0.0.1:6443"), "s3cr\"et", PEM));
    }

    @Test
    void rewritingReplacesTheFile() throws IOException {
        Path f = dir.resolve("kubeconfig");
        new Kubeconfig(URI.create("http://a:1"), "one", null).write(f);
        new Kubeconfig(URI.create("http://b:2"), "two", null).write(f);
        assertThat(Kubeconfig.read(f)).isEqualTo(new Kubeconfig(URI.create("http://b:2"), "two", null));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void readsKubeconfigsOtherToolsWrite() throws IOException {
        Files.writeString(dir.resolve("token"), "from-file\n");
        Files.writeString(dir.resolve("ca.pem"), PEM);
        Path f = dir.resolve("config");
        Files.writeString(f, """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster: {server: 'https://other:1', certificate-authority: ca.pem}
                  name: other
                - cluster:
                    server: https://10.0.0.1:6443
                    certificate-authority: ca.pem
                  name: lab
                contexts:
                - context: {cluster: other, user: other}
                  name: other
                - context: {cluster: lab, user: me}
                  name: lab
                current-context: lab
                users:
                - name: me
                  user: {tokenFile: token}
                """);
        assertThat(Kubeconfig.read(f)).isEqualTo(new Kubeconfig(URI.create("https://10.0.0.1:6443"), "from-file", PEM));
    }

    @Test
    void explainsWhatIsMissing() throws IOException {
        Path f = dir.resolve("broken");
        Files.writeString(f, "current-context: x\ncontexts: []\n");
        assertThatThrownBy(() -> Kubeconfig.read(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("no entry named 'x' in contexts");
        Files.writeString(f, "{{{");
        assertThatThrownBy(() -> Kubeconfig.read(f)).isInstanceOf(IOException.class).hasMessageContaining("broken");
        assertThatThrownBy(() -> Kubeconfig.read(dir.resolve("absent"))).isInstanceOf(IOException.class);
    }
}
