package dev.capstan.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.cli.up.AllInOne;
import dev.capstan.cli.up.UpOptions;
import dev.capstan.gitsync.SyncOutcome;
import dev.capstan.model.Kinds;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import dev.capstan.model.Revision;
import dev.capstan.node.agent.NodeAgent;
import dev.capstan.node.runtime.Runtimes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: commits to a real Git repository become running pods through the
 * whole system (embedded Hazelcast, controllers, scheduler, HTTPS API, node agents over HTTP, git-sync),
 * under the process runtime and under a real private containerd.
 */
class HelloExampleIT {
    private static final Path HELLO = Path.of("hello/hello.cap");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path tmp;

    @Test
    void commitsBecomeRunningPodsUnderTheProcessRuntime() throws Exception {
        runScenario("process", 41000, true);
    }

    @Test
    void commitsBecomeRunningContainersUnderContainerd() throws Exception {
        Optional<String> why = Runtimes.containerdUnusable(null);
        Assumptions.assumeTrue(why.isEmpty(), () -> "containerd test skipped: " + why.orElse("")
                + " (CI installs it: apt-get install containerd runc busybox-static, as root)");
        runScenario("containerd", 43000, false);
    }

    private void runScenario(String runtime, int portBase, boolean killANode) throws Exception {
        Path repo = tmp.resolve("repo");
        Path app = repo.resolve("apps/hello");
        Files.createDirectories(app);
        Path cap = app.resolve("hello.cap");
        Files.copy(HELLO, cap);
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            commit(git, "Add hello");
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            UpOptions opts = new UpOptions(app, 2, runtime, null, Duration.ofMillis(300), "127.0.0.1", 0,
                    tmp.resolve("kubeconfig"), tmp.resolve("state"), portBase, "it-" + UUID.randomUUID(),
                    Duration.ofSeconds(3));
            List<SyncOutcome> outcomes = new CopyOnWriteArrayList<>();
            try (AllInOne system = AllInOne.start(opts, new PrintStream(output, true, StandardCharsets.UTF_8))) {
                system.onSync(outcomes::add);
                assertThat(system.runtimeName()).isEqualTo(runtime);

                List<Pod> pods = awaitRunning(system, 2);
                for (Pod p : pods) {
                    assertThat(get(p)).contains("hello from " + p.metadata().name());
                }
                assertThat(pods).extracting(Pod::nodeName).containsExactlyInAnyOrder("node-1", "node-2");

                Files.writeString(cap, Files.readString(cap).replace("replicas 2", "replicas 4"));
                commit(git, "Scale hello to 4");
                system.syncNow();
                awaitRunning(system, 4);
                String listed = kubectl(opts.kubeconfig(), "get", "pods", "-A");
                if (listed != null) {
                    assertThat(listed.lines().filter(l -> l.startsWith("demo ") && l.contains("Running")))
                            .hasSize(4);
                }

                Files.writeString(app.resolve("broken.cap"), "service oops in demo {\n  replicas four\n}\n");
                String broken = commit(git, "Break it");
                system.syncNow();
                await().atMost(20, TimeUnit.SECONDS).until(() -> outcomes.stream()
                        .anyMatch(o -> o.commit().sha().equals(broken)));
                Revision rejected = system.store().get(Kinds.REVISION, null, broken.substring(0, 12)).orElseThrow();
                assertThat(rejected.status().phase()).isEqualTo(Revision.REJECTED);
                assertThat(rejected.status().diagnostics()).anyMatch(d -> d.contains("apps/hello/broken.cap:2:"));
                assertThat(output.toString(StandardCharsets.UTF_8)).contains("rejected");
                Thread.sleep(1500);
                assertThat(runningPods(system)).hasSize(4);

                if (killANode) {
                    NodeAgent dead = system.agents().get(0);
                    dead.shutdown(false, Duration.ofSeconds(1)); // the agent goes silent; its lease expires
                    await().atMost(40, TimeUnit.SECONDS).untilAsserted(() -> {
                        Node n = system.store().get(Kinds.NODE, null, dead.nodeName()).orElseThrow();
                        assertThat(n.isReady()).isFalse();
                        assertThat(runningPods(system)).hasSize(4)
                                .allSatisfy(p -> assertThat(p.nodeName()).isEqualTo("node-2"));
                    });
                }
                pods = runningPods(system);
                system.close();
                for (Pod p : pods) {
                    assertThat(answers(p)).as("pod %s stopped with Capstan", p.metadata().name()).isFalse();
                }
            }
        }
    }

    private List<Pod> awaitRunning(AllInOne system, int n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> runningPods(system).size() == n);
        return runningPods(system);
    }

    private static List<Pod> runningPods(AllInOne system) {
        return system.store().list(Kinds.POD, "demo").stream()
                .filter(p -> p.metadata().deletionTimestamp() == null && Pod.RUNNING.equals(p.phase()) && p.isReady())
                .toList();
    }

    private static int hostPort(Pod p) {
        return p.spec().containers().get(0).ports().get(0).hostPort();
    }

    private String get(Pod p) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + hostPort(p) + "/");
        Exception last = null;
        for (int i = 0; i < 50; i++) { // the container runs; its server may still be binding
            try {
                return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    private boolean answers(Pod p) {
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort(p) + "/"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("Test", "test@example.com")
                .setCommitter("Test", "test@example.com").setSign(false).call().name();
    }

    /** Runs the real kubectl against the system; null (and a message) when kubectl is not installed. */
    private static String kubectl(Path kubeconfig, String... args) throws Exception {
        Path bin = Path.of("/usr/bin/kubectl");
        if (!Files.isExecutable(bin)) {
            System.err.println("kubectl not installed: the kubectl check of HelloExampleIT is skipped");
            return null;
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString(), "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
