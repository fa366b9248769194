package dev.capstan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.model.Container;
import dev.capstan.model.Event;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.Probe;
import dev.capstan.node.runtime.process.ProcessRuntime;
import dev.capstan.model.Service;
import java.util.Map;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent over the process runtime with real host processes: probes, restarts, exit reasons, logs. */
class NodeAgentProcessTest {
    private static final String BUSYBOX = "capstan.local/busybox:1.35";

    @TempDir
    Path dir;
    private final FakeApi api = new FakeApi();
    private ProcessRuntime runtime;
    private NodeAgent agent;

    @BeforeEach
    void start() throws Exception {
        runtime = new ProcessRuntime(dir.resolve("state"), "node-1");
        AgentConfig cfg = AgentConfig.defaults("node-1", 31000 + (int) (ProcessHandle.current().pid() % 500) * 20,
                dir.resolve("logs")).withSyncInterval(Duration.ofMillis(200));
        agent = new NodeAgent(cfg, api, runtime);
        agent.start();
    }

    @AfterEach
    void stop() {
        agent.shutdown(true, Duration.ofSeconds(5));
        runtime.close();
    }

    private Pod create(String name, String restartPolicy, Container c) {
        return api.create(new Pod(ObjectMeta.of("demo", name), new PodSpec(List.of(c), "node-1", restartPolicy, 1L,
                null, true), null));
    }

    private static Container sh(String script, Probe liveness, Probe readiness, Probe startup) {
        return new Container("app", BUSYBOX, List.of("sh", "-c", script), null, null,
                List.of(new Container.ContainerPort("http", 8080, null, "TCP")), null, null, liveness, readiness,
                startup);
    }

    private static Probe exec(String command, int failureThreshold) {
        return new Probe(null, null, new Probe.Exec(List.of("sh", "-c", command)), null, 1, 1, 1, failureThreshold);
    }

    private Pod.ContainerStatus status(String pod) {
        Pod p = api.pod("demo", pod);
        return p.status() == null || p.status().containerStatuses().isEmpty() ? null
                : p.status().containerStatuses().get(0);
    }

    private static String read(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void failingLivenessProbeRestartsTheContainerAndSaysWhy() {
        create("live", "Always", sh("touch alive; sleep 1; rm alive; sleep 60", exec("test -f alive", 2), null, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> status("live") != null && status("live").restartCount() >= 1);
        Pod.ContainerStatus cs = status("live");
        assertThat(cs.lastState().terminated().message()).contains("Liveness probe failed")
                .contains("test -f alive");
        assertThat(api.events()).extracting(Event::reason).contains("Unhealthy", "Killing");
        assertThat(api.events()).extracting(Event::message)
                .contains("Container app failed liveness probe, will be restarted");
    }

    @Test
    void readinessProbeGatesTheReadyConditions() {
        Probe http = new Probe(new Probe.HttpGet("/", "http", null), null, null, null, 1, 1, 1, 1);
        create("web", "Always", sh("echo ok > index.html; sleep 2; exec httpd -f -p 127.0.0.1:$PORT -h .", null,
                http, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> status("web") != null && status("web").state().running() != null);
        assertThat(status("web").ready()).isFalse();
        assertThat(api.pod("demo", "web").isReady()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.pod("demo", "web").isReady());
        Pod p = api.pod("demo", "web");
        assertThat(p.status().conditions()).anyMatch(c -> c.type().equals("ContainersReady") && c.status().equals("True"));
        assertThat(status("web").ready()).isTrue();
        assertThat(status("web").restartCount()).isZero();
    }

    @Test
    void startupProbeHoldsBackReadinessAndLiveness() {
        create("slow", "Always", sh("sleep 2; touch started; sleep 60", exec("false", 1), exec("true", 1),
                new Probe(null, null, new Probe.Exec(List.of("sh", "-c", "test -f started")), null, 1, 1, 1, 30)));
        await().atMost(Duration.ofSeconds(10)).until(() -> status("slow") != null && status("slow").state().running() != null);
        assertThat(status("slow").started()).isFalse();
        assertThat(status("slow").ready()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(status("slow").started()));
        // once started, the (always failing) liveness probe runs and restarts it
        await().atMost(Duration.ofSeconds(10)).until(() -> status("slow").restartCount() >= 1);
    }

    @Test
    void containersGetTheServiceVariablesOfTheirNamespaceAndExpandReferencesToThem() throws Exception {
        api.create(new Service(ObjectMeta.of("demo", "api-v2"), new Service.Spec(Map.of("app", "api"), List.of(
                new Service.Port("grpc", 9090, "grpc", "TCP"), new Service.Port("http", 80, "http", "TCP")),
                "127.77.0.9", "ClusterIP")));
        api.create(new Service(ObjectMeta.of("other", "db"), new Service.Spec(Map.of("app", "db"),
                List.of(new Service.Port("pg", 5432, "pg", "TCP")), "127.77.0.10", "ClusterIP")));
        agent.withClusterDns(new ClusterDns("127.0.77.53", 5353, "cluster.local"));
        Container c = new Container("app", BUSYBOX, List.of("sh", "-c",
                "echo \"$BACKEND|$(API_V2_SERVICE_PORT)|$ESC|$UNKNOWN|${DB_SERVICE_HOST:-none}\";"
                        + " echo \"$API_V2_SERVICE_PORT_GRPC $CAPSTAN_DNS_SERVER $CAPSTAN_DNS_SEARCH\"; sleep 30"),
                null, List.of(new Container.EnvVar("BACKEND", "http://$(API_V2_SERVICE_HOST):$(API_V2_SERVICE_PORT_HTTP)"),
                        new Container.EnvVar("ESC", "$$(X)"), new Container.EnvVar("UNKNOWN", "$(DB_SERVICE_HOST)")),
                List.of(), null, null, null, null, null);
        create("env", "Always", c);
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> read(agent.openLog(api.pod("demo", "env"), "app", false,
                false, null)).lines().count() == 2);
        assertThat(read(agent.openLog(api.pod("demo", "env"), "app", false, false, null)).lines().toList())
                .containsExactly("http://127.77.0.9:80|9090|$(X)|$(DB_SERVICE_HOST)|none",
                        "9090 127.0.77.53:5353 demo.svc.cluster.local svc.cluster.local cluster.local");
    }

    @Test
    void aContainerReferringToAServiceWithoutAnAddressWaitsForIt() throws Exception {
        Service back = api.create(new Service(ObjectMeta.of("demo", "back"), new Service.Spec(Map.of("app", "back"),
                List.of(new Service.Port("http", 80, "http", "TCP")), null, "ClusterIP")));
        Container c = new Container("app", BUSYBOX, List.of("sh", "-c", "echo $URL; sleep 30"), null,
                List.of(new Container.EnvVar("URL", "http://$(BACK_SERVICE_HOST):$(BACK_SERVICE_PORT)")),
                List.of(), null, null, null, null, null);
        create("waits", "Always", c);
        await().atMost(Duration.ofSeconds(15)).until(() -> status("waits") != null
                && status("waits").state().waiting() != null
                && "ServiceAddressPending".equals(status("waits").state().waiting().reason()));
        assertThat(status("waits").state().waiting().message()).contains("service back");
        api.update(back.withSpec(back.spec().withClusterIP("127.77.0.11")));
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> read(agent.openLog(api.pod("demo", "waits"), "app", false,
                false, null)).strip().equals("http://127.77.0.11:80"));
    }

    @Test
    void crashLoopShowsExitReasonBackOffAndPreviousLogs() throws Exception {
        Pod pod = create("crash", "Always", sh("echo attempt $RANDOM; echo oops >&2; exit 3", null, null, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> status("crash") != null
                && status("crash").state().waiting() != null
                && "CrashLoopBackOff".equals(status("crash").state().waiting().reason()));
        Pod.ContainerStatus cs = status("crash");
        assertThat(cs.restartCount()).isEqualTo(1);
        assertThat(cs.state().waiting().message()).contains("back-off 10s");
        assertThat(cs.lastState().terminated().exitCode()).isEqualTo(3);
        assertThat(cs.lastState().terminated().reason()).isEqualTo("Error");
        Pod current = api.pod("demo", "crash");
        // stdout and stderr are separate pipes: their order is not fixed
        assertThat(read(agent.openLog(current, "app", false, false, null)).lines().sorted().toList())
                .hasSize(2).contains("oops").anyMatch(l -> l.matches("attempt \\d+"));
        assertThat(read(agent.openLog(current, "app", true, false, null)).lines().sorted().toList())
                .hasSize(2).contains("oops");
        assertThat(read(agent.openLog(current, "app", true, false, 1)).lines().toList()).hasSize(1);

        api.delete(Kinds.POD, "demo", "crash");
        Path logs = dir.resolve("logs").resolve("demo_crash_" + pod.metadata().uid());
        await().atMost(Duration.ofSeconds(15)).until(() -> !logs.toFile().exists());
    }

    @Test
    void followStreamsUntilTheContainerEnds() throws Exception {
        create("tick", "Never", sh("for i in 1 2 3; do echo tick $i; sleep 1; done", null, null, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> status("tick") != null && status("tick").state().running() != null);
        String all = read(agent.openLog(api.pod("demo", "tick"), "app", false, true, null));
        assertThat(all).isEqualTo("tick 1\ntick 2\ntick 3\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> api.pod("demo", "tick").phase().equals(Pod.SUCCEEDED));
        assertThat(status("tick").state().terminated().reason()).isEqualTo("Completed");
    }

    @Test
    void rotatesALogPastItsSizeAndReadsAcrossTheRotatedFiles() throws Exception {
        ProcessRuntime rt2 = new ProcessRuntime(dir.resolve("state2"), "node-2");
        AgentConfig cfg = AgentConfig.defaults("node-2", 39000 + (int) (ProcessHandle.current().pid() % 500) * 2,
                dir.resolve("logs2")).withSyncInterval(Duration.ofMillis(100)).withLogRotation(400, 2);
        NodeAgent second = new NodeAgent(cfg, api, rt2);
        second.start();
        try {
            Pod pod = api.create(new Pod(ObjectMeta.of("demo", "chatty"), new PodSpec(List.of(new Container("app",
                    BUSYBOX, List.of("sh", "-c", "i=0; while true; do i=$((i+1)); echo line $i; sleep 0.02; done"),
                    null, null, null, null, null)), "node-2", "Always", 1L, null, true), null));
            Path logDir = dir.resolve("logs2").resolve("demo_chatty_" + pod.metadata().uid()).resolve("app");
            await().atMost(Duration.ofSeconds(20)).until(() -> logDir.resolve("0.log.2").toFile().exists());
            Thread.sleep(500);
            assertThat(logDir.resolve("0.log.3")).doesNotExist();
            await().atMost(Duration.ofSeconds(10)).alias("written again after the reopen")
                    .until(() -> java.nio.file.Files.size(logDir.resolve("0.log")) > 0); // a rotation may have just emptied it
            List<String> lines = read(second.openLog(api.pod("demo", "chatty"), "app", false, false, null))
                    .lines().toList();
            assertThat(lines.get(0)).isNotEqualTo("line 1"); // the oldest rotated files are gone
            int first = Integer.parseInt(lines.get(0).substring(5));
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).isEqualTo("line " + (first + i));
            }
            assertThat(read(second.openLog(api.pod("demo", "chatty"), "app", false, false, 2)).lines()).hasSize(2);
        } finally {
            second.shutdown(true, Duration.ofSeconds(5));
            rt2.close();
        }
    }
}
