package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to 'capstan agent' and 'capstan image' ends in one clear line and exit 2, never a stack trace. */
class AgentImageCommandTest {
    @TempDir
    Path dir;

    @Test
    void agentRefusesABadUrlAMissingTokenFileAndABadNodeName() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t0k3n\n");
        CliRun url = CliRun.of("agent", "--api", "127.0.0.1:7070", "--token-file", token.toString(), "--node", "n1");
        assertThat(url.exitCode()).isEqualTo(2);
        assertThat(url.err()).contains("--api must be a URL such as https://127.0.0.1:7070").doesNotContain("Exception");

        CliRun missing = CliRun.of("agent", "--api", "https://127.0.0.1:1", "--token-file",
                dir.resolve("nope").toString(), "--node", "n1");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read --token-file");

        Files.writeString(dir.resolve("empty"), "  \n");
        assertThat(CliRun.of("agent", "--api", "https://127.0.0.1:1", "--token-file", dir.resolve("empty").toString(),
                "--node", "n1").err()).contains("is empty");
        assertThat(CliRun.of("agent", "--api", "https://127.0.0.1:1", "--token-file", token.toString(),
                "--node", "Bad_Name").err()).contains("not a valid node name");
    }

    @Test
    void agentSaysWhenTheApiDoesNotAnswer() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t0k3n\n");
        CliRun r = CliRun.of("agent", "--api", "http://127.0.0.1:1", "--token-file", token.toString(), "--node", "n1",
                "--runtime", "process", "--state-dir", dir.resolve("state").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("capstan: error:").contains("127.0.0.1:1").doesNotContain("\tat ");
    }

    @Test
    void imageImportNeedsAnArchiveAndAContainerd() throws Exception {
        CliRun noFile = CliRun.of("image", "import", dir.resolve("missing.tar").toString());
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("no such file");
        Path tar = Files.writeString(dir.resolve("x.tar"), "not really");
        CliRun noSocket = CliRun.of("image", "import", tar.toString(), "--containerd-socket",
                dir.resolve("sock").toString());
        assertThat(noSocket.exitCode()).isEqualTo(2);
        assertThat(noSocket.err()).contains("no containerd socket at " + dir.resolve("sock"));
    }

    @Test
    void buildBusyboxWritesAnOciArchiveFromTheHostsStaticBusybox() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dev.capstan.node.runtime.internal.HostTools.findBusybox(true).isPresent(),
                "no static busybox here (apt-get install busybox-static)");
        Path out = dir.resolve("busybox.tar");
        CliRun r = CliRun.of("image", "build-busybox", "-o", out.toString(), "--name", "capstan.local/bb:2");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("wrote capstan.local/bb:2 (sha256:").contains("capstan image import " + out);
        assertThat(Files.size(out)).isGreaterThan(100_000);
    }
}
