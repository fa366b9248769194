package dev.capstan.node.runtime.cri;

import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.ContainerSpec;
import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.Runtimes;
import dev.capstan.node.runtime.SandboxInfo;
import dev.capstan.node.runtime.SandboxSpec;
import dev.capstan.node.runtime.internal.HostTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Against a real, private containerd started for this class: two agents ("node-a", "node-b") share it
 * through {@link Runtimes.Shared}. Prints {@code TIMING <what> <ms>} lines.
 */
class CriRuntimeIT {

    static final String NOT_INSTALLED = "containerd not installed: apt-get install containerd runc busybox-static";

    private static Path dir;
    private static Runtimes.Shared shared;
    private static CriRuntime nodeA;
    private static CriRuntime nodeB;

    /** The assumption every containerd IT makes: the binaries are there and we are root. */
    static void assumeContainerdUsable() {
        assumeTrue(HostTools.findBinary("containerd").isPresent() && HostTools.findBinary("runc").isPresent()
                && HostTools.findBinary("ctr").isPresent() && HostTools.findBusybox(true).isPresent(), NOT_INSTALLED);
        assumeTrue(HostTools.isRoot(), "not root: a private containerd needs root (it mounts filesystems and creates cgroups)");
    }

    @BeforeAll
    static void startPrivateContainerd() throws Exception {
        assumeContainerdUsable();
        dir = Files.createTempDirectory(Path.of("/tmp"), "capstan-it-");
        long t0 = System.nanoTime();
        shared = Runtimes.Shared.start(dir);
        timing("containerd start + image build/import", t0);
        nodeA = shared.runtimeFor("node-a");
        nodeB = shared.runtimeFor("node-b");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (shared == null) {
            return;
        }
        for (CriRuntime rt : new CriRuntime[] {nodeA, nodeB}) {
            if (rt != null) {
                for (SandboxInfo s : rt.listSandboxes()) {
                    rt.removePodSandbox(s.id(), Duration.ZERO);
                }
                assertThat(rt.listSandboxes()).isEmpty();
                rt.close();
            }
        }
        long pid = shared.containerd().pid();
        shared.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("containerd stopped").isFalse();
        assertThat(processesMentioning(dir.toString())).as("nothing left running for " + dir).isEmpty();
        deleteTree(dir);
    }

    @Test
    void importsTheLocalImagesOnceAndNeverPullsThem() throws Exception {
        assertThat(LocalImages.ensure(shared.socket(), dir.resolve("images"))).as("already imported").isEmpty();
        nodeA.ensureImage(LocalImages.BUSYBOX_IMAGE); // would fail if it pulled: there is no capstan.local registry
        nodeA.ensureImage(LocalImages.PAUSE_IMAGE);
        assertThatThrownBy(() -> nodeA.ensureImage("127.0.0.1:1/capstan/missing:1.0"))
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("pull image 127.0.0.1:1/capstan/missing:1.0");
    }

    @Test
    void importsAnArchiveUnderTheNameGivenAndRunsIt() throws Exception {
        String ref = "capstan.local/imported:2.0";
        Path tar = dir.resolve("imported.tar");
        LocalImages.writeBusyboxImage(HostTools.findBusybox(true).orElseThrow(), tar, ref);
        assertThat(ImageArchives.importCommand(shared.socket(), tar, ref)).containsSubsequence("-n", "k8s.io",
                "images", "import", "--base-name", "capstan.local/imported", tar.toString());
        assertThat(ImageArchives.importArchive(shared.socket(), tar, ref)).contains("capstan.local/imported");
        nodeB.ensureImage(ref); // would fail if it pulled: there is no capstan.local registry
        String sandbox = nodeB.runPodSandbox(sandboxSpec("imported"));
        String id = nodeB.startContainer(sandbox, new ContainerSpec("app", 0, ref, List.of("sh", "-c", "exit 7"),
                List.of(), Map.of(), null, 0, 0, "app/0.log", Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> find(nodeB, id).state() == ContainerInfo.State.EXITED);
        assertThat(find(nodeB, id).exitCode()).isEqualTo(7);
        nodeB.removePodSandbox(sandbox, Duration.ZERO);
        assertThatThrownBy(() -> ImageArchives.importArchive(shared.socket(), dir.resolve("missing.tar"), null))
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("no image archive at");
    }

    @Test
    void busyboxHttpdServesAPageOnTheHostNetwork() throws Exception {
        int port = freePort();
        long t0 = System.nanoTime();
        String sandbox = nodeA.runPodSandbox(sandboxSpec("web"));
        timing("runPodSandbox", t0);
        long t1 = System.nanoTime();
        String id = nodeA.startContainer(sandbox, new ContainerSpec("web", 0, LocalImages.BUSYBOX_IMAGE, List.of("httpd"),
                List.of("-f", "-p", "127.0.0.1:" + port, "-h", "/www"), Map.of(), null, 100, 32L << 20, "web/0.log",
                Map.of("app", "web")));
        timing("startContainer (create + start)", t1);

        awaitPortOpen(port, Duration.ofSeconds(10));
        timing("runPodSandbox to port open (pod start)", t0);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> page = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .ignoreExceptions().until(() -> http.send(get, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
        timing("sandbox to first HTTP 200", t0);
        assertThat(page.body()).contains("Hello from capstan.local/busybox");

        ContainerInfo running = find(nodeA, id);
        assertThat(running.state()).isEqualTo(ContainerInfo.State.RUNNING);
        assertThat(running.sandboxId()).isEqualTo(sandbox);
        assertThat(running.image()).isEqualTo(LocalImages.BUSYBOX_IMAGE);
        assertThat(running.labels()).containsEntry("app", "web").containsEntry(CriRuntime.NODE_LABEL, "node-a");
        assertThat(running.startedAt()).isNotNull();

        long t2 = System.nanoTime();
        nodeA.stopContainer(id, Duration.ofSeconds(5));
        timing("stopContainer (httpd, SIGTERM)", t2);
        ContainerInfo stopped = find(nodeA, id);
        assertThat(stopped.state()).isEqualTo(ContainerInfo.State.EXITED);
        assertThat(stopped.exitCode()).isEqualTo(143);
        nodeA.removeContainer(id);
        assertThat(nodeA.listContainers()).extracting(ContainerInfo::id).doesNotContain(id);

        long t3 = System.nanoTime();
        nodeA.removePodSandbox(sandbox, Duration.ofSeconds(5));
        timing("removePodSandbox", t3);
        assertThat(nodeA.listSandboxes()).extracting(SandboxInfo::id).doesNotContain(sandbox);
    }

    @Test
    void podStartLatencyWarm() throws Exception {
        List<Long> sandboxMs = new ArrayList<>();
        List<Long> podMs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int port = freePort();
            long t0 = System.nanoTime();
            String sandbox = nodeA.runPodSandbox(sandboxSpec("warm-" + i));
            sandboxMs.add((System.nanoTime() - t0) / 1_000_000);
            nodeA.startContainer(sandbox, new ContainerSpec("web", 0, LocalImages.BUSYBOX_IMAGE, List.of("httpd"),
                    List.of("-f", "-p", "127.0.0.1:" + port, "-h", "/www"), Map.of(), null, 0, 0, "web/0.log", Map.of()));
            awaitPortOpen(port, Duration.ofSeconds(10));
            podMs.add((System.nanoTime() - t0) / 1_000_000);
            nodeA.removePodSandbox(sandbox, Duration.ofSeconds(5));
        }
        System.out.printf("TIMING warm runPodSandbox %s ms; warm pod start to port open %s ms%n", sandboxMs, podMs);
        assertThat(podMs).allMatch(ms -> ms < 5000);
    }

    @Test
    void aContainerThatExitsWithThreeIsReportedAsErrorAndItsOutputLogged() throws Exception {
        String sandbox = nodeA.runPodSandbox(sandboxSpec("job"));
        String id = nodeA.startContainer(sandbox, new ContainerSpec("job", 0, LocalImages.BUSYBOX_IMAGE,
                List.of("sh", "-c"), List.of("echo \"hello $WHO\"; echo oops >&2; exit 3"), Map.of("WHO", "capstan"),
                "/tmp", 0, 0, "job/0.log", Map.of()));

        ContainerInfo exited = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> find(nodeA, id), c -> c.state() == ContainerInfo.State.EXITED);
        assertThat(exited.exitCode()).isEqualTo(3);
        assertThat(exited.reason()).isEqualTo("Error");
        assertThat(exited.startedAt()).isAfterOrEqualTo(exited.createdAt());
        // finishedAt may precede startedAt by a fraction of a millisecond for a process this short: containerd
        // stamps "started" after the start call returns
        assertThat(exited.finishedAt()).isAfterOrEqualTo(exited.createdAt());

        List<String> log = Files.readAllLines(dir.resolve("logs/job/job/0.log"));
        assertThat(log).anyMatch(l -> l.matches("\\S+Z stdout F hello capstan"));
        assertThat(log).anyMatch(l -> l.matches("\\S+Z stderr F oops"));
        nodeA.removePodSandbox(sandbox, Duration.ofSeconds(1));
    }

    @Test
    void aHostNetworkSandboxGetsItsOwnResolvConfFromTheDnsConfig() throws Exception {
        SandboxSpec base = sandboxSpec("dns");
        String sandbox = nodeA.runPodSandbox(new SandboxSpec(base.podUid(), base.namespace(), base.name(), 0,
                base.logDir(), base.labels(), new dev.capstan.node.runtime.PodDns(List.of("127.0.77.53"),
                List.of("it.svc.cluster.local", "svc.cluster.local", "cluster.local"), List.of("ndots:5"))));
        String id = nodeA.startContainer(sandbox, new ContainerSpec("cat", 0, LocalImages.BUSYBOX_IMAGE,
                List.of("cat", "/etc/resolv.conf"), List.of(), Map.of(), null, 0, 0, "cat/0.log", Map.of()));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> find(nodeA, id), c -> c.state() == ContainerInfo.State.EXITED);
        List<String> log = Files.readAllLines(dir.resolve("logs/dns/cat/0.log"));
        assertThat(log).anyMatch(l -> l.endsWith(" stdout F nameserver 127.0.77.53"))
                .anyMatch(l -> l.endsWith(" stdout F search it.svc.cluster.local svc.cluster.local cluster.local"))
                .anyMatch(l -> l.endsWith(" stdout F options ndots:5"));
        nodeA.removePodSandbox(sandbox, Duration.ofSeconds(1));
    }

    @Test
    void cpuAndMemoryLimitsReachTheContainersCgroup() throws Exception {
        String sandbox = nodeA.runPodSandbox(sandboxSpec("limits"));
        String id = nodeA.startContainer(sandbox, new ContainerSpec("limits", 0, LocalImages.BUSYBOX_IMAGE,
                List.of("sh", "-c"), List.of("cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us"
                        + " 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max"),
                Map.of(), null, 250, 64L << 20, "limits/0.log", Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> find(nodeA, id).state() == ContainerInfo.State.EXITED);
        String log = Files.readString(dir.resolve("logs/limits/limits/0.log"));
        assertThat(log).contains("stdout F " + (64L << 20)).contains("25000");
        nodeA.removePodSandbox(sandbox, Duration.ofSeconds(1));
    }

    @Test
    void eachAgentListsOnlyWhatCarriesItsNodeName() throws Exception {
        String a = nodeA.runPodSandbox(sandboxSpec("pod-a"));
        String b = nodeB.runPodSandbox(sandboxSpec("pod-b"));
        String ca = nodeA.startContainer(a, sleeper("sleep-a"));
        String cb = nodeB.startContainer(b, sleeper("sleep-b"));

        assertThat(nodeA.listSandboxes()).extracting(SandboxInfo::id).contains(a).doesNotContain(b);
        assertThat(nodeB.listSandboxes()).extracting(SandboxInfo::id).contains(b).doesNotContain(a);
        assertThat(nodeA.listContainers()).extracting(ContainerInfo::id).contains(ca).doesNotContain(cb);
        assertThat(nodeB.listContainers()).extracting(ContainerInfo::id).contains(cb).doesNotContain(ca);

        long t0 = System.nanoTime();
        nodeA.removePodSandbox(a, Duration.ofSeconds(10));
        timing("removePodSandbox with a running container", t0);
        nodeB.removePodSandbox(b, Duration.ofSeconds(10));
        assertThat(nodeB.listContainers()).extracting(ContainerInfo::id).doesNotContain(cb);
    }

    @Test
    void aNewInstanceForTheSameNodeAdoptsExistingSandboxes() throws Exception {
        String sandbox = nodeA.runPodSandbox(sandboxSpec("adopted"));
        try (CriRuntime restarted = new CriRuntime(shared.socket(), "node-a")) {
            assertThat(restarted.listSandboxes()).extracting(SandboxInfo::id, SandboxInfo::ready)
                    .contains(org.assertj.core.groups.Tuple.tuple(sandbox, true));
            String id = restarted.startContainer(sandbox, new ContainerSpec("late", 0, LocalImages.BUSYBOX_IMAGE,
                    List.of("echo", "adopted"), List.of(), Map.of(), null, 0, 0, "late/0.log", Map.of()));
            await().atMost(Duration.ofSeconds(10)).until(() -> find(restarted, id).state() == ContainerInfo.State.EXITED);
            assertThat(Files.readString(dir.resolve("logs/adopted/late/0.log"))).contains("stdout F adopted");
            restarted.removePodSandbox(sandbox, Duration.ofSeconds(1));
        }
    }

    @Test
    void stopAndRemoveAreIdempotent() throws Exception {
        String sandbox = nodeA.runPodSandbox(sandboxSpec("twice"));
        String id = nodeA.startContainer(sandbox, sleeper("sleeper"));
        long t0 = System.nanoTime();
        nodeA.stopContainer(id, Duration.ofSeconds(10));
        timing("stopContainer (sleep, SIGTERM)", t0);
        nodeA.stopContainer(id, Duration.ofSeconds(10));
        nodeA.removeContainer(id);
        nodeA.removeContainer(id);
        nodeA.stopContainer(id, Duration.ofSeconds(1));
        nodeA.removePodSandbox(sandbox, Duration.ZERO);
        nodeA.removePodSandbox(sandbox, Duration.ZERO);
        assertThat(nodeA.listSandboxes()).extracting(SandboxInfo::id).doesNotContain(sandbox);
    }

    private static ContainerSpec sleeper(String name) {
        return new ContainerSpec(name, 0, LocalImages.BUSYBOX_IMAGE, List.of("sleep", "30"), List.of(), Map.of(), null,
                0, 0, name + "/0.log", Map.of());
    }

    private static SandboxSpec sandboxSpec(String name) {
        return new SandboxSpec("uid-" + name, "it", name, 0, dir.resolve("logs").resolve(name).toString(),
                Map.of("capstan.dev/pod", name));
    }

    private static ContainerInfo find(CriRuntime rt, String id) throws RuntimeFailure {
        return rt.listContainers().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void awaitPortOpen(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(5);
            }
        }
    }

    static void timing(String what, long startNanos) {
        System.out.printf("TIMING %s %d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
    }

    static List<ProcessHandle> processesMentioning(String text) {
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(ProcessHandle::isAlive).forEach(p -> {
                String args = String.join(" ", p.info().arguments().orElse(new String[0]));
                if (args.contains(text)) {
                    found.add(p);
                }
            });
        }
        return found;
    }

    static void deleteTree(Path root) throws Exception {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
