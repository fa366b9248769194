package dev.capstan.node.runtime;

import dev.capstan.node.runtime.process.ProcessRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimesTest {

    @TempDir
    Path dir;

    @Test
    void processModeGivesTheProcessRuntime() throws Exception {
        try (Runtimes.Pool pool = Runtimes.pool("process", dir, null);
             ContainerRuntime a = pool.runtimeFor("node-1");
             ContainerRuntime b = pool.runtimeFor("node-2")) {
            assertThat(a).isInstanceOf(ProcessRuntime.class);
            assertThat(pool.name()).isEqualTo("process");
            assertThat(pool.reason()).startsWith("process: ");
            assertThat(dir.resolve("process/node-1")).isDirectory();
            assertThat(dir.resolve("process/node-2")).isDirectory();
        }
    }

    @Test
    void unknownModeIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> Runtimes.pool("docker", dir, null))
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("use auto, containerd or process");
    }

    @Test
    void containerdModeWithASocketNobodyAnswersFailsClearly() {
        String socket = dir.resolve("nobody.sock").toString();
        assertThatThrownBy(() -> Runtimes.pool("containerd", dir, socket))
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("containerd is not answering on " + socket);
    }

    @Test
    void autoModeFallsBackToProcessWhenTheGivenSocketDoesNotAnswer() throws Exception {
        try (Runtimes.Pool pool = Runtimes.pool("auto", dir, dir.resolve("nobody.sock").toString());
             ContainerRuntime rt = pool.runtimeFor("node-1")) {
            assertThat(rt.name()).isEqualTo("process");
            assertThat(pool.reason()).startsWith("process: containerd could not be used (containerd is not answering");
        }
    }
}
