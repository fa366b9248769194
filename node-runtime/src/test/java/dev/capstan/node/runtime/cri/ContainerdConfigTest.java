package dev.capstan.node.runtime.cri;

import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.cri.v1.ContainerMetadata;
import dev.capstan.node.runtime.cri.v1.ContainerState;
import dev.capstan.node.runtime.cri.v1.ContainerStatus;
import dev.capstan.node.runtime.cri.v1.ImageSpec;
import dev.capstan.node.runtime.cri.v1.LinuxContainerResources;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerdConfigTest {

    private final ContainerdConfig config = new ContainerdConfig(Path.of("/var/lib/capstan/node-1/containerd"),
            Path.of("/usr/sbin/runc"), LocalImages.PAUSE_IMAGE, Path.of("/usr/lib/cni"));

    @Test
    void keepsEveryPathUnderTheInstanceDirectory() {
        String toml = config.toml();
        assertThat(toml)
                .contains("root = \"/var/lib/capstan/node-1/containerd/root\"")
                .contains("state = \"/var/lib/capstan/node-1/containerd/state\"")
                .contains("address = \"/var/lib/capstan/node-1/containerd/containerd.sock\"")
                .contains("address = \"/var/lib/capstan/node-1/containerd/containerd.sock.ttrpc\"")
                .contains("Root = \"/var/lib/capstan/node-1/containerd/runc\"")
                .contains("path = \"/var/lib/capstan/node-1/containerd/opt\"")
                .contains("conf_dir = \"/var/lib/capstan/node-1/containerd/cni/net.d\"")
                .contains("runtime_root = \"/var/lib/capstan/node-1/containerd/runc-v1\"");
        assertThat(toml).doesNotContain("/run/containerd/containerd.sock").doesNotContain("/var/lib/containerd\"");
    }

    @Test
    void carriesTheSettingsThisKindOfMachineNeeds() {
        assertThat(config.toml())
                .contains("version = 2")
                .contains("restrict_oom_score_adj = true")
                .contains("snapshotter = \"overlayfs\"")
                .contains("sandbox_image = \"capstan.local/pause:1.0\"")
                .contains("netns_mounts_under_state_dir = true")
                .contains("disable_apparmor = true")
                .contains("enable_selinux = false")
                .contains("stream_server_address = \"127.0.0.1\"")
                .contains("stream_server_port = \"0\"")
                .contains("runtime_type = \"io.containerd.runc.v2\"")
                .contains("BinaryName = \"/usr/sbin/runc\"")
                .contains("SystemdCgroup = false")
                .contains("bin_dir = \"/usr/lib/cni\"")
                .contains("required_plugins = [\"io.containerd.grpc.v1.cri\"]");
        for (String snapshotter : new String[] {"aufs", "btrfs", "zfs", "devmapper"}) {
            assertThat(config.toml()).contains("\"io.containerd.snapshotter.v1." + snapshotter + "\"");
        }
    }

    @Test
    void escapesTomlStrings() {
        assertThat(ContainerdConfig.q("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void unescapesMountInfoPaths() {
        assertThat(PrivateContainerd.unescapeMountInfo("/tmp/a\\040b")).isEqualTo("/tmp/a b");
    }

    @Test
    void mapsMillicoresToCfsQuotaAndMemoryToALimit() {
        LinuxContainerResources r = CriSpecs.resources(250, 64L << 20);
        assertThat(r.getCpuPeriod()).isEqualTo(100_000);
        assertThat(r.getCpuQuota()).isEqualTo(25_000);
        assertThat(r.getCpuShares()).isEqualTo(256);
        assertThat(r.getMemoryLimitInBytes()).isEqualTo(64L << 20);
        assertThat(CriSpecs.resources(0, 0)).isEqualTo(LinuxContainerResources.getDefaultInstance());
        assertThat(CriSpecs.resources(1, 0).getCpuQuota()).as("the kernel's minimum quota is 1 ms").isEqualTo(1000);
    }

    @Test
    void mapsAnExitedContainerStatus() {
        ContainerStatus status = ContainerStatus.newBuilder().setId("c1")
                .setMetadata(ContainerMetadata.newBuilder().setName("web").setAttempt(2))
                .setState(ContainerState.CONTAINER_EXITED).setExitCode(3).setReason("Error")
                .setCreatedAt(1_000_000_000L).setStartedAt(2_000_000_500L).setFinishedAt(3_000_000_000L)
                .setImage(ImageSpec.newBuilder().setImage("sha256:abc"))
                .putAnnotations(CriRuntime.IMAGE_ANNOTATION, "capstan.local/busybox:1.35")
                .putLabels("app", "web").build();
        ContainerInfo info = CriSpecs.toInfo("s1", status);
        assertThat(info.state()).isEqualTo(ContainerInfo.State.EXITED);
        assertThat(info.exitCode()).isEqualTo(3);
        assertThat(info.reason()).isEqualTo("Error");
        assertThat(info.message()).isNull();
        assertThat(info.sandboxId()).isEqualTo("s1");
        assertThat(info.attempt()).isEqualTo(2);
        assertThat(info.startedAt()).isEqualTo(Instant.ofEpochSecond(2, 500));
        assertThat(info.image()).isEqualTo("capstan.local/busybox:1.35");
        assertThat(info.labels()).containsEntry("app", "web");
    }

    @Test
    void aRunningContainerHasNoReasonNorFinishTime() {
        ContainerInfo info = CriSpecs.toInfo("s1", ContainerStatus.newBuilder().setId("c1")
                .setState(ContainerState.CONTAINER_RUNNING).setCreatedAt(1).setStartedAt(2).build());
        assertThat(info.state()).isEqualTo(ContainerInfo.State.RUNNING);
        assertThat(info.reason()).isNull();
        assertThat(info.finishedAt()).isNull();
    }

    @Test
    void anExitedContainerWithoutReasonGetsCompletedOrError() {
        assertThat(CriSpecs.toInfo("s", ContainerStatus.newBuilder().setState(ContainerState.CONTAINER_EXITED)
                .setExitCode(0).build()).reason()).isEqualTo("Completed");
        assertThat(CriSpecs.toInfo("s", ContainerStatus.newBuilder().setState(ContainerState.CONTAINER_EXITED)
                .setExitCode(1).build()).reason()).isEqualTo("Error");
    }
}
