package dev.capstan.node.runtime.cri;

import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.cri.v1.ContainerStatus;
import dev.capstan.node.runtime.cri.v1.LinuxContainerResources;
import dev.capstan.node.runtime.cri.v1.NamespaceMode;
import dev.capstan.node.runtime.cri.v1.NamespaceOption;
import dev.capstan.node.runtime.cri.v1.StopContainerRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** How Capstan's runtime records become CRI messages and back: statuses, limits, namespaces. Pure functions. */
final class CriSpecs {
    static final long CPU_PERIOD_US = 100_000;

    private CriSpecs() {
    }

    /** Maps a CRI container status; exposed to the package for tests. */
    static ContainerInfo toInfo(String sandboxId, ContainerStatus s) {
        ContainerInfo.State state = state(s.getState());
        String reason = null;
        if (state == ContainerInfo.State.EXITED) {
            reason = !s.getReason().isEmpty() ? s.getReason() : s.getExitCode() == 0 ? "Completed" : "Error";
        }
        String image = s.getAnnotationsOrDefault(CriRuntime.IMAGE_ANNOTATION, s.getImage().getImage());
        return new ContainerInfo(s.getId(), sandboxId, s.getMetadata().getName(), s.getMetadata().getAttempt(), state,
                s.getExitCode(), reason, s.getMessage().isEmpty() ? null : s.getMessage(), instant(s.getCreatedAt()),
                instant(s.getStartedAt()), instant(s.getFinishedAt()), image, Map.copyOf(s.getLabelsMap()));
    }

    static ContainerInfo.State state(dev.capstan.node.runtime.cri.v1.ContainerState s) {
        return switch (s) {
            case CONTAINER_CREATED -> ContainerInfo.State.CREATED;
            case CONTAINER_RUNNING -> ContainerInfo.State.RUNNING;
            case CONTAINER_EXITED -> ContainerInfo.State.EXITED;
            default -> ContainerInfo.State.UNKNOWN;
        };
    }

    /** CPU quota from millicores over a 100 ms period (and proportional shares); memory limit in bytes. */
    static LinuxContainerResources resources(long cpuMillis, long memoryBytes) {
        LinuxContainerResources.Builder r = LinuxContainerResources.newBuilder();
        if (cpuMillis > 0) {
            r.setCpuPeriod(CPU_PERIOD_US)
                    .setCpuQuota(Math.max(1000, cpuMillis * CPU_PERIOD_US / 1000))
                    .setCpuShares(Math.max(2, cpuMillis * 1024 / 1000));
        }
        if (memoryBytes > 0) {
            r.setMemoryLimitInBytes(memoryBytes);
        }
        return r.build();
    }

    /** Host network, and a pod PID namespace whose PID 1 is the pause process (fast, clean stops). */
    static NamespaceOption podNamespaces() {
        return NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE).setPid(NamespaceMode.POD)
                .setIpc(NamespaceMode.POD).build();
    }

    static StopContainerRequest stopRequest(String containerId, Duration grace) {
        long seconds = (Math.max(0, grace.toMillis()) + 999) / 1000;
        return StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(seconds).build();
    }

    static Instant instant(long nanos) {
        return nanos == 0 ? null : Instant.ofEpochSecond(0, nanos);
    }

}
