package dev.capstan.node.runtime.cri;

import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.Runtimes;
import dev.capstan.node.runtime.SandboxSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Start, adopt and stop of a private containerd, and {@link Runtimes#select} choosing it. */
class PrivateContainerdIT {

    private static Path dir;

    @BeforeAll
    static void assumeContainerd() throws Exception {
        CriRuntimeIT.assumeContainerdUsable();
        dir = Files.createTempDirectory(Path.of("/tmp"), "capstan-it-");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (dir != null) {
            assertThat(CriRuntimeIT.processesMentioning(dir.toString())).as("nothing left running").isEmpty();
            CriRuntimeIT.deleteTree(dir);
        }
    }

    @Test
    void aSecondStartForTheSameDirectoryAdoptsTheRunningInstanceAndCloseStopsIt() throws Exception {
        Path d = dir.resolve("adopt");
        long t0 = System.nanoTime();
        PrivateContainerd first = PrivateContainerd.start(d);
        CriRuntimeIT.timing("PrivateContainerd.start", t0);
        try {
            assertThat(first.adopted()).isFalse();
            assertThat(first.version()).startsWith("1.");
            assertThat(Files.readString(d.resolve("config.toml"))).contains("restrict_oom_score_adj = true");
            try (PrivateContainerd second = PrivateContainerd.start(d)) {
                assertThat(second.adopted()).isTrue();
                assertThat(second.pid()).isEqualTo(first.pid());
            }
            assertThat(first.isAlive()).as("closing the adopter stops the one containerd").isFalse();
            assertThat(d.resolve("containerd.sock")).doesNotExist();
            assertThat(d.resolve("state")).doesNotExist();
        } finally {
            first.close();
        }
    }

    @Test
    void autoChoosesAPrivateContainerdAndClosingThePoolStopsItWithItsPods() throws Exception {
        Path d = dir.resolve("auto");
        long t0 = System.nanoTime();
        Runtimes.Pool pool = Runtimes.pool("auto", d, null);
        CriRuntimeIT.timing("Runtimes.pool(auto) with a fresh private containerd and image import", t0);
        long pid;
        long t1 = 0;
        try (pool; ContainerRuntime runtime = pool.runtimeFor("node-auto")) {
            assertThat(runtime.name()).isEqualTo("containerd");
            assertThat(pool.reason()).startsWith("containerd: ").contains("containerd found, private instance at "
                    + d.resolve("containerd"));
            pid = Long.parseLong(Files.readString(d.resolve("containerd/containerd.pid")).strip());
            runtime.runPodSandbox(new SandboxSpec("u1", "it", "left-running", 0, d.resolve("logs").toString(), Map.of()));
            t1 = System.nanoTime();
        }
        CriRuntimeIT.timing("close of a runtime owning a private containerd with one pod", t1);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(CriRuntimeIT.processesMentioning(d.toString())).as("the pod's shim is gone too").isEmpty();
    }

    @Test
    void containerdModeWithAGivenSocketUsesThatContainerd() throws Exception {
        try (PrivateContainerd containerd = PrivateContainerd.start(dir.resolve("given"))) {
            try (Runtimes.Pool pool = Runtimes.pool("containerd", dir.resolve("agent"), containerd.socket().toString());
                 ContainerRuntime runtime = pool.runtimeFor("node-x")) {
                assertThat(pool.reason()).isEqualTo("containerd: using the containerd at " + containerd.socket());
                runtime.ensureImage(LocalImages.BUSYBOX_IMAGE); // imported by select
                assertThat(runtime.listSandboxes()).isEmpty();
            }
            assertThat(containerd.isAlive()).as("a given containerd is not ours to stop").isTrue();
        }
    }
}
