package dev.capstan.node.runtime.process;

import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.internal.HostTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BusyboxAppletsTest {

    @TempDir
    Path dir;

    @Test
    void withoutBusyboxTheFailureSaysWhatToInstall() {
        assertThatThrownBy(() -> BusyboxApplets.ensure(dir.resolve("applets"), Optional.empty()))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("apt-get install busybox-static");
    }

    @Test
    void linksEveryAppletToTheHostBusyboxAndReusesTheDirectory() throws Exception {
        Optional<Path> busybox = HostTools.findBusybox(false);
        assumeTrue(busybox.isPresent(), "busybox not installed: apt-get install busybox-static");
        Path applets = BusyboxApplets.ensure(dir.resolve("applets"), busybox);
        for (String applet : new String[] {"sh", "httpd", "wget", "nc", "sleep"}) {
            assertThat(Files.readSymbolicLink(applets.resolve(applet))).isEqualTo(busybox.get());
        }
        long before = Files.getLastModifiedTime(applets).toMillis();
        assertThat(BusyboxApplets.ensure(dir.resolve("applets"), busybox)).isEqualTo(applets);
        assertThat(Files.getLastModifiedTime(applets).toMillis()).isEqualTo(before);
    }

    @Test
    void resolvesCommandsOnThePathLikeAShell() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        tool.toFile().setExecutable(true);
        Files.writeString(bin.resolve("data"), "not executable");

        assertThat(ProcessTrees.resolve("tool", "/nonexistent:" + bin, dir)).contains(tool);
        assertThat(ProcessTrees.resolve("data", bin.toString(), dir)).isEmpty();
        assertThat(ProcessTrees.resolve("./bin/tool", "", dir)).contains(dir.resolve("./bin/tool"));
        assertThat(ProcessTrees.resolve("tool", "bin", dir)).as("relative PATH entry").contains(dir.resolve("bin/tool"));
    }
}
