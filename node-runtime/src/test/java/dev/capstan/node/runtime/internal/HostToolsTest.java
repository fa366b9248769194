package dev.capstan.node.runtime.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HostToolsTest {

    @Test
    void findsBinariesOnThePathAndInSbin() {
        assertThat(HostTools.findBinary("sh")).isPresent();
        assertThat(HostTools.findBinary("no-such-binary-anywhere")).isEmpty();
    }

    @Test
    void tellsStaticFromDynamicExecutables(@TempDir Path dir) throws Exception {
        Path ls = HostTools.findBinary("ls").orElseThrow();
        assertThat(HostTools.isStaticElf(ls.toRealPath())).as("ls needs the dynamic loader").isFalse();
        Path script = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
        assertThat(HostTools.isStaticElf(script)).isFalse();
        HostTools.findBusybox(true).ifPresent(bb -> {
            try {
                assertThat(HostTools.isStaticElf(bb)).isTrue();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void listsBusyboxApplets() throws Exception {
        var busybox = HostTools.findBusybox(false);
        assumeTrue(busybox.isPresent(), "busybox not installed: apt-get install busybox-static");
        assertThat(HostTools.busyboxApplets(busybox.get())).contains("sh", "httpd", "nc").doesNotContain("busybox");
    }

    @Test
    void runsShortCommandsWithATimeout() throws Exception {
        HostTools.Result r = HostTools.run(Duration.ofSeconds(5), List.of("sh", "-c", "echo out; echo err >&2; exit 4"));
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.output()).contains("out").contains("err");
        assertThatThrownBy(() -> HostTools.run(Duration.ofMillis(200), List.of("sleep", "5")))
                .hasMessageContaining("did not finish within");
    }
}
