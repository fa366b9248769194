package dev.capstan.node.runtime.process;

import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.ContainerSpec;
import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.SandboxInfo;
import dev.capstan.node.runtime.SandboxSpec;
import dev.capstan.node.runtime.internal.HostTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessRuntimeTest {

    @TempDir
    Path dir;
    private ProcessRuntime runtime;
    private final List<ProcessRuntime> others = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        runtime = new ProcessRuntime(dir.resolve("state"), "node-a");
    }

    @AfterEach
    void tearDown() {
        runtime.close();
        others.forEach(ProcessRuntime::close);
    }

    private String sandbox(String name) throws RuntimeFailure {
        return runtime.runPodSandbox(new SandboxSpec("uid-" + name, "default", name, 0,
                dir.resolve("logs").resolve(name).toString(), Map.of("app", name)));
    }

    private static ContainerSpec sh(String name, String script) {
        return new ContainerSpec(name, 0, "example.com/anything:1", List.of("sh", "-c", script), List.of(),
                Map.of("GREETING", "hello"), null, 100, 1 << 20, name + "/0.log", Map.of("container", name));
    }

    private ContainerInfo awaitExited(ProcessRuntime rt, String id) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> find(rt, id), c -> c.state() == ContainerInfo.State.EXITED);
    }

    private static ContainerInfo find(ProcessRuntime rt, String id) throws RuntimeFailure {
        return rt.listContainers().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void reportsExitCodeAndReason() throws Exception {
        String sb = sandbox("jobs");
        String failing = runtime.startContainer(sb, sh("failing", "exit 3"));
        String passing = runtime.startContainer(sb, sh("passing", "true"));

        ContainerInfo failed = awaitExited(runtime, failing);
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.reason()).isEqualTo("Error");
        assertThat(failed.finishedAt()).isAfterOrEqualTo(failed.startedAt());
        assertThat(failed.sandboxId()).isEqualTo(sb);
        assertThat(failed.labels()).containsEntry("container", "failing").containsEntry(ProcessRuntime.NODE_LABEL, "node-a");
        ContainerInfo done = awaitExited(runtime, passing);
        assertThat(done.exitCode()).isZero();
        assertThat(done.reason()).isEqualTo("Completed");
    }

    @Test
    void writesStdoutAndStderrInCriLogFormat() throws Exception {
        String sb = sandbox("logs");
        String id = runtime.startContainer(sb, sh("talker", "echo \"$GREETING from $PWD\"; echo oops >&2"));
        awaitExited(runtime, id);

        Path log = dir.resolve("logs/logs/talker/0.log");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(log) && Files.readAllLines(log).size() == 2);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z (stdout|stderr) F .*"));
        assertThat(lines).anyMatch(l -> l.contains(" stdout F hello from " + dir.resolve("state/sandboxes/" + sb)));
        assertThat(lines).anyMatch(l -> l.endsWith(" stderr F oops"));
    }

    @Test
    void stopIsQuickForAProcessThatHonoursSigterm() throws Exception {
        String id = runtime.startContainer(sandbox("sleepy"), sh("sleeper", "exec sleep 30"));
        long t0 = System.nanoTime();
        runtime.stopContainer(id, Duration.ofSeconds(10));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        ContainerInfo info = find(runtime, id);
        assertThat(info.state()).isEqualTo(ContainerInfo.State.EXITED);
        assertThat(info.exitCode()).as("killed by SIGTERM").isEqualTo(143);
        assertThat(ms).isLessThan(2000);
    }

    @Test
    void stopKillsAProcessThatIgnoresSigtermAfterTheGracePeriod() throws Exception {
        String id = runtime.startContainer(sandbox("stubborn"),
                sh("stubborn", "trap '' TERM; while :; do sleep 0.1; done"));
        Thread.sleep(200); // let the shell install its trap
        long t0 = System.nanoTime();
        runtime.stopContainer(id, Duration.ofMillis(700));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        ContainerInfo info = find(runtime, id);
        assertThat(info.exitCode()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(info.reason()).isEqualTo("Error");
        assertThat(ms).isBetween(650L, 5000L);
    }

    @Test
    void stopAlsoEndsTheChildrenOfTheProcess() throws Exception {
        String id = runtime.startContainer(sandbox("parent"), sh("parent", "sleep 300 & sleep 301 & wait"));
        long pid = await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> a.length == 1 && a[0].equals("301")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1), p -> p > 0);
        runtime.stopContainer(id, Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aLaterInstanceListsWhatAnEarlierOneCreated() throws Exception {
        String sb = sandbox("persisted");
        String exited = runtime.startContainer(sb, sh("once", "exit 7"));
        awaitExited(runtime, exited);
        String running = runtime.startContainer(sb, sh("server", "exec sleep 30"));

        ProcessRuntime later = new ProcessRuntime(dir.resolve("state"), "node-a");
        others.add(later);
        assertThat(later.listSandboxes()).extracting(SandboxInfo::id, SandboxInfo::name, SandboxInfo::ready)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(sb, "persisted", true));
        assertThat(find(later, exited).exitCode()).isEqualTo(7);
        assertThat(find(later, running).state()).isEqualTo(ContainerInfo.State.RUNNING);

        later.stopContainer(running, Duration.ofSeconds(5));
        ContainerInfo stopped = find(later, running);
        assertThat(stopped.state()).isEqualTo(ContainerInfo.State.EXITED);
        assertThat(stopped.exitCode()).as("not our child: exit code unknown").isEqualTo(-1);
        assertThat(stopped.message()).contains("unknown");
    }

    @Test
    void listsOnlyWhatCarriesItsNodeName() throws Exception {
        ProcessRuntime other = new ProcessRuntime(dir.resolve("state"), "node-b");
        others.add(other);
        String mine = sandbox("mine");
        String theirs = other.runPodSandbox(new SandboxSpec("u", "default", "theirs", 0, dir.resolve("l").toString(), Map.of()));

        assertThat(runtime.listSandboxes()).extracting(SandboxInfo::id).containsExactly(mine);
        assertThat(other.listSandboxes()).extracting(SandboxInfo::id).containsExactly(theirs);
    }

    @Test
    void removingASandboxStopsItsContainersAndDeletesItsDirectory() throws Exception {
        String sb = sandbox("gone");
        String id = runtime.startContainer(sb, sh("server", "exec sleep 30"));
        Path sandboxDir = dir.resolve("state/sandboxes/" + sb);
        assertThat(sandboxDir).isDirectory();

        runtime.removePodSandbox(sb, Duration.ofSeconds(5));
        runtime.removePodSandbox(sb, Duration.ofSeconds(5)); // idempotent

        assertThat(runtime.listSandboxes()).isEmpty();
        assertThat(runtime.listContainers()).extracting(ContainerInfo::id).doesNotContain(id);
        assertThat(sandboxDir).doesNotExist();
        assertThat(new ProcessRuntime(dir.resolve("state"), "node-a").listSandboxes()).isEmpty();
    }

    @Test
    void stopAndRemoveOfUnknownContainersAreNoOps() throws Exception {
        runtime.stopContainer("nope", Duration.ofSeconds(1));
        runtime.removeContainer("nope");
    }

    @Test
    void refusesAContainerWithoutCommandOrInAMissingSandbox() throws Exception {
        String sb = sandbox("bad");
        ContainerSpec noCommand = new ContainerSpec("x", 0, "i", List.of(), List.of(), Map.of(), null, 0, 0, "x.log", Map.of());
        assertThatThrownBy(() -> runtime.startContainer(sb, noCommand)).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("has no command");
        assertThatThrownBy(() -> runtime.startContainer("missing", sh("x", "true"))).hasMessageContaining("does not exist");
        ContainerSpec unknown = new ContainerSpec("y", 0, "i", List.of("no-such-command-here"), List.of(), Map.of(),
                null, 0, 0, "y.log", Map.of());
        assertThatThrownBy(() -> runtime.startContainer(sb, unknown)).hasMessageContaining("'no-such-command-here' not found");
    }

    @Test
    void refusesTheSameNameAndAttemptTwice() throws Exception {
        String sb = sandbox("twice");
        runtime.startContainer(sb, sh("c", "true"));
        assertThatThrownBy(() -> runtime.startContainer(sb, sh("c", "true"))).hasMessageContaining("attempt + 1");
    }

    @Test
    void describesItselfAsUnisolated() {
        assertThat(runtime.name()).isEqualTo("process");
        assertThat(runtime.describe()).contains("NO ISOLATION AND NO RESOURCE LIMITS");
    }

    @Test
    void recognisesBusyboxImages() {
        assertThat(BusyboxApplets.isBusyboxImage("capstan.local/busybox:1.35")).isTrue();
        assertThat(BusyboxApplets.isBusyboxImage("docker.io/library/busybox")).isTrue();
        assertThat(BusyboxApplets.isBusyboxImage("busybox@sha256:abc")).isTrue();
        assertThat(BusyboxApplets.isBusyboxImage("capstan.local/busybox-extra:1")).isFalse();
        assertThat(BusyboxApplets.isBusyboxImage("localhost:5000/nginx")).isFalse();
    }

    @Test
    void servesHttpWithBusyboxHttpdForABusyboxImage() throws Exception {
        assumeTrue(HostTools.findBusybox(false).isPresent(), "busybox not installed: apt-get install busybox-static");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        runtime.ensureImage("capstan.local/busybox:1.35");
        String sb = sandbox("web");
        ContainerSpec web = new ContainerSpec("web", 0, "capstan.local/busybox:1.35", List.of("sh", "-c"),
                List.of("echo served-by-process-runtime > index.html && exec httpd -f -p 127.0.0.1:" + port + " -h ."),
                Map.of(), null, 0, 0, "web/0.log", Map.of());
        String id = runtime.startContainer(sb, web);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(2)).build();
        String body = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> http.send(get, HttpResponse.BodyHandlers.ofString()).body(), b -> b.contains("served-by"));
        assertThat(body).contains("served-by-process-runtime");
        runtime.stopContainer(id, Duration.ofSeconds(5));
        assertThat(find(runtime, id).state()).isEqualTo(ContainerInfo.State.EXITED);
    }
}
