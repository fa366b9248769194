package dev.capstan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.capstan.model.Container;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.Probe;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.Runtimes;
import dev.capstan.node.runtime.SandboxInfo;
import dev.capstan.node.runtime.cri.CriRuntime;
import dev.capstan.node.runtime.cri.LocalImages;
import dev.capstan.node.runtime.cri.PrivateContainerd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The node agent against a real, private containerd (started for this class): a crash loop, an OOM kill,
 * a failing liveness probe, re-adoption by a new agent, and containerd restarted underneath a running pod.
 * Each agent gets its own node name; everything is removed afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeAgentContainerdIT {
    private static final String BUSYBOX = LocalImages.BUSYBOX_IMAGE;
    private static Path dir;
    private static PrivateContainerd containerd;
    private final List<NodeAgent> agents = new ArrayList<>();
    private final List<ContainerRuntime> runtimes = new ArrayList<>();
    private final FakeApi api = new FakeApi();

    @BeforeAll
    static void startContainerd() throws Exception {
        Optional<String> why = Runtimes.containerdUnusable(null);
        assumeTrue(why.isEmpty(), () -> "containerd IT skipped: " + why.orElse("")
                + " (CI installs containerd, runc and busybox-static and runs as root)");
        dir = Files.createTempDirectory(Path.of("/tmp"), "capstan-ag-");
        containerd = PrivateContainerd.start(dir.resolve("containerd"));
        LocalImages.ensure(containerd.socket(), dir.resolve("images"));
    }

    @AfterAll
    static void stopContainerd() throws Exception {
        if (containerd != null) {
            containerd.close();
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @AfterEach
    void stopAgents() throws Exception {
        for (NodeAgent a : agents) {
            a.shutdown(true, Duration.ofSeconds(10));
        }
        for (ContainerRuntime rt : runtimes) {
            assertThat(rt.listSandboxes()).as("every pod removed").isEmpty();
            rt.close();
        }
    }

    private NodeAgent agent(String node, ContainerRuntime rt) {
        AgentConfig cfg = AgentConfig.defaults(node, 33000 + agents.size() * 50, dir.resolve("logs").resolve(node))
                .withSyncInterval(Duration.ofMillis(200));
        NodeAgent a = new NodeAgent(cfg, api, rt);
        a.start();
        agents.add(a);
        return a;
    }

    private NodeAgent agent(String node) throws Exception {
        CriRuntime rt = new CriRuntime(containerd.socket(), node);
        runtimes.add(rt);
        return agent(node, rt);
    }

    private Pod create(String name, String node, String restartPolicy, Container c) {
        return api.create(new Pod(ObjectMeta.of("demo", name), new PodSpec(List.of(c), node, restartPolicy, 1L,
                null, true), null));
    }

    private static Container sh(String script, Container.Resources resources, Probe liveness) {
        return new Container("app", BUSYBOX, List.of("sh", "-c", script), null, null, null, resources, null,
                liveness, null, null);
    }

    private Pod.ContainerStatus status(String pod) {
        Pod p = api.pod("demo", pod);
        return p.status() == null || p.status().containerStatuses().isEmpty() ? null
                : p.status().containerStatuses().get(0);
    }

    private void awaitRunning(String pod) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(pod) != null && status(pod).state().running() != null);
    }

    @Test
    @Order(1)
    void crashLoopBacksOffAndCountsRestarts() throws Exception {
        agent("crash-node");
        create("crash", "crash-node", "Always", sh("echo about to fail; exit 3", null, null));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status("crash") != null && status("crash").restartCount() >= 1
                        && status("crash").state().waiting() != null
                        && "CrashLoopBackOff".equals(status("crash").state().waiting().reason()));
        Pod.ContainerStatus cs = status("crash");
        assertThat(cs.state().waiting().message()).contains("back-off 10s");
        assertThat(cs.lastState().terminated().exitCode()).isEqualTo(3);
        assertThat(cs.lastState().terminated().reason()).isEqualTo("Error");
        assertThat(api.pod("demo", "crash").phase()).isEqualTo(Pod.RUNNING);
        await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(200))
                .until(() -> status("crash").restartCount() >= 2);
    }

    @Test
    @Order(2)
    void memoryHogIsOomKilled() throws Exception {
        agent("oom-node");
        Container.Resources limit = new Container.Resources(null, Map.of("memory", "8Mi"));
        create("hog", "oom-node", "Never", sh("x=a; while true; do x=$x$x; done", limit, null));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status("hog") != null && status("hog").state().terminated() != null);
        Pod.Terminated t = status("hog").state().terminated();
        assertThat(t.reason()).isEqualTo("OOMKilled");
        assertThat(t.exitCode()).isEqualTo(137);
        assertThat(api.pod("demo", "hog").phase()).isEqualTo(Pod.FAILED);
    }

    @Test
    @Order(3)
    void failingLivenessProbeRestartsTheContainer() throws Exception {
        agent("live-node");
        Probe alive = new Probe(null, null, new Probe.Exec(List.of("test", "-f", "/tmp/alive")), null, 1, 1, 1, 2);
        create("live", "live-node", "Always", sh("touch /tmp/alive; sleep 2; rm /tmp/alive; sleep 600", null, alive));
        awaitRunning("live");
        String first = status("live").containerID();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status("live").restartCount() >= 1 && status("live").state().running() != null);
        Pod.ContainerStatus cs = status("live");
        assertThat(cs.containerID()).isNotEqualTo(first);
        assertThat(cs.lastState().terminated().message()).contains("Liveness probe failed")
                .contains("exited with 1");
        assertThat(api.events()).anyMatch(e -> "Killing".equals(e.reason()));
    }

    @Test
    @Order(4)
    void aNewAgentAdoptsRunningContainersWithoutRestartingThem() throws Exception {
        CriRuntime rt = new CriRuntime(containerd.socket(), "adopt-node");
        NodeAgent first = agent("adopt-node", rt);
        create("steady", "adopt-node", "Always", sh("sleep 600", null, null));
        awaitRunning("steady");
        String id = status("steady").containerID();
        first.shutdown(false, Duration.ofSeconds(2));
        agents.remove(first);
        rt.close();

        agent("adopt-node");
        Thread.sleep(1500); // several sync rounds of the new agent
        assertThat(status("steady").containerID()).isEqualTo(id);
        assertThat(status("steady").restartCount()).isZero();
        assertThat(status("steady").state().running()).isNotNull();
        assertThat(runtimes.get(0).listContainers()).hasSize(1);
    }

    @Test
    @Order(5)
    void containersSurviveAContainerdRestartAndTheAgentReconnects() throws Exception {
        agent("restart-node");
        create("survivor", "restart-node", "Always", sh("sleep 600", null, null));
        awaitRunning("survivor");
        String id = status("survivor").containerID();

        ProcessHandle daemon = ProcessHandle.of(containerd.pid()).orElseThrow();
        daemon.destroy();
        assertThat(daemon.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
        Thread.sleep(500); // the agent sees containerd gone
        containerd = PrivateContainerd.start(dir.resolve("containerd"));
        assertThat(containerd.adopted()).isFalse();

        create("newcomer", "restart-node", "Always", sh("sleep 600", null, null));
        awaitRunning("newcomer");
        assertThat(status("survivor").containerID()).isEqualTo(id);
        assertThat(status("survivor").restartCount()).isZero();
        List<SandboxInfo> sandboxes = runtimes.get(0).listSandboxes();
        assertThat(sandboxes).hasSize(2).allMatch(SandboxInfo::ready);
    }
}
