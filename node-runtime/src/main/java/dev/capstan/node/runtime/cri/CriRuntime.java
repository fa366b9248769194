package dev.capstan.node.runtime.cri;

import com.google.common.util.concurrent.ListenableFuture;
import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerSpec;
import dev.capstan.node.runtime.ExecResult;
import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.SandboxInfo;
import dev.capstan.node.runtime.SandboxSpec;
import dev.capstan.node.runtime.cri.v1.Container;
import dev.capstan.node.runtime.cri.v1.ContainerConfig;
import dev.capstan.node.runtime.cri.v1.ContainerFilter;
import dev.capstan.node.runtime.cri.v1.ContainerMetadata;
import dev.capstan.node.runtime.cri.v1.ContainerStatus;
import dev.capstan.node.runtime.cri.v1.ContainerStatusRequest;
import dev.capstan.node.runtime.cri.v1.CreateContainerRequest;
import dev.capstan.node.runtime.cri.v1.ExecSyncRequest;
import dev.capstan.node.runtime.cri.v1.ExecSyncResponse;
import dev.capstan.node.runtime.cri.v1.ImageSpec;
import dev.capstan.node.runtime.cri.v1.KeyValue;
import dev.capstan.node.runtime.cri.v1.LinuxContainerConfig;
import dev.capstan.node.runtime.cri.v1.LinuxContainerSecurityContext;
import dev.capstan.node.runtime.cri.v1.DNSConfig;
import dev.capstan.node.runtime.cri.v1.LinuxPodSandboxConfig;
import dev.capstan.node.runtime.cri.v1.LinuxSandboxSecurityContext;
import dev.capstan.node.runtime.cri.v1.ListContainersRequest;
import dev.capstan.node.runtime.cri.v1.ListPodSandboxRequest;
import dev.capstan.node.runtime.cri.v1.PodSandbox;
import dev.capstan.node.runtime.cri.v1.PodSandboxConfig;
import dev.capstan.node.runtime.cri.v1.PodSandboxFilter;
import dev.capstan.node.runtime.cri.v1.PodSandboxMetadata;
import dev.capstan.node.runtime.cri.v1.PodSandboxState;
import dev.capstan.node.runtime.cri.v1.PodSandboxStatus;
import dev.capstan.node.runtime.cri.v1.PodSandboxStatusRequest;
import dev.capstan.node.runtime.cri.v1.PullImageRequest;
import dev.capstan.node.runtime.cri.v1.RemoveContainerRequest;
import dev.capstan.node.runtime.cri.v1.RemovePodSandboxRequest;
import dev.capstan.node.runtime.cri.v1.ReopenContainerLogRequest;
import dev.capstan.node.runtime.cri.v1.RunPodSandboxRequest;
import dev.capstan.node.runtime.cri.v1.StartContainerRequest;
import dev.capstan.node.runtime.cri.v1.StopContainerResponse;
import dev.capstan.node.runtime.cri.v1.StopPodSandboxRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ContainerRuntime} over containerd's CRI ({@code runtime.v1}) on a unix socket.
 *
 * <p>Pods use the host network (no CNI, empty hostname) and a pod PID namespace whose PID 1 is the
 * pause process, so a stop takes milliseconds. Everything created carries the label
 * {@value #NODE_LABEL}{@code =<node name>}, and the list methods return only what carries this
 * instance's node name: several agents (several {@code CriRuntime}s with different node names)
 * can share one containerd. Exits are found by polling ({@link #listContainers()}); containerd
 * 1.6 has no event stream. Thread-safe.
 */
public final class CriRuntime implements ContainerRuntime {

    /** The label that ties sandboxes and containers to the agent (node) that created them. */
    public static final String NODE_LABEL = "capstan.dev/node";
    /** Sandbox annotation that keeps the log directory, needed to create containers after an agent restart. */
    static final String LOG_DIR_ANNOTATION = "capstan.dev/log-directory";
    /** Container annotation that keeps the image reference as the agent asked for it. */
    static final String IMAGE_ANNOTATION = "capstan.dev/image";
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SANDBOX_TIMEOUT = Duration.ofMinutes(2);

    private final CriClient client;
    private final String nodeName;
    private final String version;
    private final Map<String, PodSandboxConfig> sandboxConfigs = new ConcurrentHashMap<>();
    /** Statuses of running and exited containers, by id, reused while ListContainers reports the same state. */
    private final Map<String, ContainerInfo> statusCache = new ConcurrentHashMap<>();

    /**
     * Connects to the CRI socket of a running containerd (for example {@link PrivateContainerd#socket()},
     * which several instances may share) and checks that it answers.
     *
     * @param nodeName the value of {@value #NODE_LABEL} on everything this instance creates and lists
     */
    public CriRuntime(Path socket, String nodeName) throws RuntimeFailure {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName must not be blank");
        }
        this.client = CriClient.connect(socket);
        this.nodeName = nodeName;
        try {
            var v = client.version(Duration.ofSeconds(10));
            this.version = v.getRuntimeName() + " " + v.getRuntimeVersion() + " (CRI " + v.getRuntimeApiVersion() + ")";
        } catch (RuntimeFailure e) {
            client.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "containerd";
    }

    @Override
    public String describe() {
        return version + " on " + client.socket() + ", node " + nodeName + ", host network";
    }

    public String nodeName() {
        return nodeName;
    }

    public Path socket() {
        return client.socket();
    }

    @Override
    public void ensureImage(String image) throws RuntimeFailure {
        if (client.hasImage(image)) {
            return;
        }
        client.call("pull image " + image, () -> client.images(PULL_TIMEOUT).pullImage(PullImageRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build()));
    }

    @Override
    public String runPodSandbox(SandboxSpec spec) throws RuntimeFailure {
        Path logDir = Path.of(spec.logDir()).toAbsolutePath().normalize();
        createDirectories(logDir);
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(NODE_LABEL, nodeName);
        PodSandboxConfig.Builder builder = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(spec.name()).setUid(spec.podUid())
                        .setNamespace(spec.namespace()).setAttempt(spec.attempt()))
                .setLogDirectory(logDir.toString())
                .putAllLabels(labels)
                .putAnnotations(LOG_DIR_ANNOTATION, logDir.toString())
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(
                        LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(CriSpecs.podNamespaces())));
        if (spec.dns() != null) {
            // containerd writes the sandbox's own resolv.conf from this and bind-mounts it into every container,
            // host network or not (it copies the host's /etc/resolv.conf only when no DNS config is given).
            builder.setDnsConfig(DNSConfig.newBuilder().addAllServers(spec.dns().servers())
                    .addAllSearches(spec.dns().searches()).addAllOptions(spec.dns().options()));
        }
        PodSandboxConfig config = builder.build();
        String id = client.call("run the pod sandbox of " + spec.namespace() + "/" + spec.name(),
                () -> client.runtime(SANDBOX_TIMEOUT).runPodSandbox(RunPodSandboxRequest.newBuilder()
                        .setConfig(config).build())).getPodSandboxId();
        sandboxConfigs.put(id, config);
        return id;
    }

    @Override
    public void removePodSandbox(String sandboxId, Duration grace) throws RuntimeFailure {
        List<Container> containers = client.call("list the containers of pod sandbox " + sandboxId,
                () -> client.runtime().listContainers(ListContainersRequest.newBuilder().setFilter(
                        ContainerFilter.newBuilder().setPodSandboxId(sandboxId)).build())).getContainersList();
        List<ListenableFuture<StopContainerResponse>> stops = new ArrayList<>();
        for (Container c : containers) {
            if (c.getState() == dev.capstan.node.runtime.cri.v1.ContainerState.CONTAINER_RUNNING) {
                stops.add(client.runtimeAsync(grace.plus(CriClient.DEFAULT_TIMEOUT)).stopContainer(CriSpecs.stopRequest(c.getId(), grace)));
            }
        }
        for (var stop : stops) {
            try {
                client.await("stop a container of pod sandbox " + sandboxId, stop);
            } catch (CriClient.CallFailure e) {
                if (!e.notFound()) {
                    throw e;
                }
            }
        }
        try {
            client.call("stop pod sandbox " + sandboxId, () -> client.runtime(SANDBOX_TIMEOUT).stopPodSandbox(
                    StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
        } catch (CriClient.CallFailure e) {
            if (!e.notFound()) {
                throw e;
            }
        }
        try {
            client.call("remove pod sandbox " + sandboxId, () -> client.runtime(SANDBOX_TIMEOUT).removePodSandbox(
                    RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
        } catch (CriClient.CallFailure e) {
            if (!e.notFound()) {
                throw e;
            }
        }
        sandboxConfigs.remove(sandboxId);
    }

    @Override
    public String startContainer(String sandboxId, ContainerSpec spec) throws RuntimeFailure {
        PodSandboxConfig sandbox = sandboxConfig(sandboxId);
        if (spec.logPath() != null && !spec.logPath().isEmpty()) {
            createDirectories(Path.of(sandbox.getLogDirectory()).resolve(spec.logPath()).getParent());
        }
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(NODE_LABEL, nodeName);
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(spec.name()).setAttempt(spec.attempt()))
                .setImage(ImageSpec.newBuilder().setImage(spec.image()))
                .addAllCommand(spec.command())
                .addAllArgs(spec.args())
                .setWorkingDir(spec.workingDir() == null ? "" : spec.workingDir())
                .putAllLabels(labels)
                .putAnnotations(IMAGE_ANNOTATION, spec.image())
                .setLogPath(spec.logPath() == null ? "" : spec.logPath())
                .setLinux(LinuxContainerConfig.newBuilder()
                        .setResources(CriSpecs.resources(spec.cpuMillis(), spec.memoryBytes()))
                        .setSecurityContext(LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(CriSpecs.podNamespaces())));
        spec.env().forEach((k, v) -> config.addEnvs(KeyValue.newBuilder().setKey(k).setValue(v)));
        String what = "container " + spec.name() + " (attempt " + spec.attempt() + ") in pod sandbox " + sandboxId;
        String id = client.call("create " + what, () -> client.runtime().createContainer(CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandboxId).setConfig(config).setSandboxConfig(sandbox).build())).getContainerId();
        try {
            client.call("start " + what, () -> client.runtime().startContainer(
                    StartContainerRequest.newBuilder().setContainerId(id).build()));
        } catch (RuntimeFailure e) {
            try {
                removeContainer(id);
            } catch (RuntimeFailure ignored) {
                // report the start failure, not the clean-up one
            }
            throw e;
        }
        return id;
    }

    @Override
    public void stopContainer(String containerId, Duration grace) throws RuntimeFailure {
        try {
            client.call("stop container " + containerId, () -> client.runtime(grace.plus(CriClient.DEFAULT_TIMEOUT))
                    .stopContainer(CriSpecs.stopRequest(containerId, grace)));
        } catch (CriClient.CallFailure e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }

    @Override
    public void removeContainer(String containerId) throws RuntimeFailure {
        try {
            client.call("remove container " + containerId, () -> client.runtime().removeContainer(
                    RemoveContainerRequest.newBuilder().setContainerId(containerId).build()));
        } catch (CriClient.CallFailure e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) throws RuntimeFailure {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        ExecSyncResponse r;
        try {
            r = client.call("run " + command + " in container " + containerId, () -> client
                    .runtime(Duration.ofSeconds(seconds + 2)).execSync(ExecSyncRequest.newBuilder()
                            .setContainerId(containerId).addAllCmd(command).setTimeout(seconds).build()));
        } catch (CriClient.CallFailure e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (e.code() == io.grpc.Status.Code.DEADLINE_EXCEEDED || m.contains("timeout")
                    || m.contains("deadline exceeded")) {
                return new ExecResult(-1, "", true);
            }
            throw e;
        }
        String out = r.getStdout().toStringUtf8() + r.getStderr().toStringUtf8();
        return new ExecResult(r.getExitCode(), out, false);
    }

    @Override
    public void reopenContainerLog(String containerId) throws RuntimeFailure {
        try {
            client.call("reopen the log of container " + containerId, () -> client.runtime()
                    .reopenContainerLog(ReopenContainerLogRequest.newBuilder().setContainerId(containerId).build()));
        } catch (CriClient.CallFailure e) {
            if (!e.notFound() && e.code() != io.grpc.Status.Code.FAILED_PRECONDITION
                    && !String.valueOf(e.getMessage()).contains("not running")) {
                throw e;
            }
        }
    }

    @Override
    public List<SandboxInfo> listSandboxes() throws RuntimeFailure {
        List<PodSandbox> items = client.call("list pod sandboxes", () -> client.runtime().listPodSandbox(
                ListPodSandboxRequest.newBuilder().setFilter(PodSandboxFilter.newBuilder()
                        .putLabelSelector(NODE_LABEL, nodeName)).build())).getItemsList();
        List<SandboxInfo> result = new ArrayList<>(items.size());
        for (PodSandbox s : items) {
            PodSandboxMetadata m = s.getMetadata();
            result.add(new SandboxInfo(s.getId(), m.getUid(), m.getNamespace(), m.getName(), m.getAttempt(),
                    s.getState() == PodSandboxState.SANDBOX_READY, Map.copyOf(s.getLabelsMap())));
        }
        return List.copyOf(result);
    }

    @Override
    public List<ContainerInfo> listContainers() throws RuntimeFailure {
        List<Container> items = client.call("list containers", () -> client.runtime().listContainers(
                ListContainersRequest.newBuilder().setFilter(ContainerFilter.newBuilder()
                        .putLabelSelector(NODE_LABEL, nodeName)).build())).getContainersList();
        List<ContainerInfo> result = new ArrayList<>(items.size());
        statusCache.keySet().retainAll(items.stream().map(Container::getId).collect(java.util.stream.Collectors.toSet()));
        for (Container c : items) {
            ContainerInfo known = statusCache.get(c.getId());
            if (known != null && known.state() == CriSpecs.state(c.getState())) {
                result.add(known); // a running or exited container's status does not change until its state does
                continue;
            }
            ContainerStatus status;
            try {
                status = client.call("report the status of container " + c.getId(), () -> client.runtime()
                        .containerStatus(ContainerStatusRequest.newBuilder().setContainerId(c.getId()).build())).getStatus();
            } catch (CriClient.CallFailure e) {
                if (e.notFound()) {
                    continue; // removed since the list was taken
                }
                throw e;
            }
            ContainerInfo info = CriSpecs.toInfo(c.getPodSandboxId(), status);
            if (info.state() == ContainerInfo.State.RUNNING || info.state() == ContainerInfo.State.EXITED) {
                statusCache.put(info.id(), info);
            }
            result.add(info);
        }
        return List.copyOf(result);
    }

    @Override
    public void close() {
        client.close();
    }

    /** The config the sandbox was created with, rebuilt from its status when another instance created it. */
    private PodSandboxConfig sandboxConfig(String sandboxId) throws RuntimeFailure {
        PodSandboxConfig cached = sandboxConfigs.get(sandboxId);
        if (cached != null) {
            return cached;
        }
        PodSandboxStatus st = client.call("find pod sandbox " + sandboxId, () -> client.runtime().podSandboxStatus(
                PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build())).getStatus();
        if (st.getState() != PodSandboxState.SANDBOX_READY) {
            throw new RuntimeFailure("pod sandbox " + sandboxId + " is stopped: it cannot take new containers");
        }
        PodSandboxConfig config = PodSandboxConfig.newBuilder()
                .setMetadata(st.getMetadata())
                .setLogDirectory(st.getAnnotationsOrDefault(LOG_DIR_ANNOTATION, ""))
                .putAllLabels(st.getLabelsMap())
                .putAllAnnotations(st.getAnnotationsMap())
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(
                        LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(CriSpecs.podNamespaces())))
                .build();
        sandboxConfigs.put(sandboxId, config);
        return config;
    }

    private static void createDirectories(Path dir) throws RuntimeFailure {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot create the log directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
