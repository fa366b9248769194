package dev.capstan.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.cli.Main;
import dev.capstan.cli.up.AllInOne;
import dev.capstan.cli.up.UpOptions;
import dev.capstan.model.Container;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.Probe;
import dev.capstan.model.Service;
import dev.capstan.node.runtime.Runtimes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent inside {@code capstan up} (containerd when usable, else the process runtime): logs
 * through the API ({@code capstan logs}, and {@code kubectl logs} when kubectl is installed) and a
 * readiness probe gating a pod's place in its Service's Endpoints.
 */
class NodeAgentUpIT {
    private static final String BUSYBOX = "capstan.local/busybox:1.35";

    @TempDir
    Path tmp;

    @Test
    void logsAndReadinessThroughTheWholeSystem() throws Exception {
        String runtime = Runtimes.containerdUnusable(null).isEmpty() ? "containerd" : "process";
        System.err.println("NodeAgentUpIT runs on the " + runtime + " runtime");
        Path repo = tmp.resolve("repo");
        Path app = repo.resolve("apps/hello");
        Files.createDirectories(app);
        Files.writeString(app.resolve("hello.cap"), Files.readString(Path.of("hello/hello.cap"))
                .replace("replicas 2", "replicas 1"));
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("hello").setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                    .setSign(false).call();
            UpOptions opts = new UpOptions(app, 1, runtime, null, Duration.ofMillis(300), "127.0.0.1", 0,
                    tmp.resolve("kubeconfig"), tmp.resolve("state"), 45000, "it-" + UUID.randomUUID(),
                    Duration.ofSeconds(10));
            try (AllInOne system = AllInOne.start(opts, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8))) {
                logs(system, opts.kubeconfig());
                readinessGatesEndpoints(system);
            }
        }
    }

    private void logs(AllInOne system, Path kubeconfig) throws Exception {
        createPod(system, "talker", Map.of(), "Always", "echo line one; echo line two; exec sleep 600", null);
        awaitRunning(system, "talker");
        String kc = kubeconfig.toString();
        await().atMost(Duration.ofSeconds(10)).until(() -> capstan("logs", "talker", "-n", "demo", "--kubeconfig", kc)
                .equals("line one\nline two\n"));
        assertThat(capstan("logs", "talker", "-n", "demo", "--tail", "1", "--kubeconfig", kc)).isEqualTo("line two\n");
        assertThat(Main.run("logs", "nosuch", "-n", "demo", "--kubeconfig", kc)).isEqualTo(1);

        createPod(system, "ticker", Map.of(), "Never", "for i in 1 2 3; do echo tick $i; sleep 1; done", null);
        awaitRunning(system, "ticker");
        long t0 = System.nanoTime();
        assertThat(capstan("logs", "ticker", "-n", "demo", "-f", "--kubeconfig", kc))
                .isEqualTo("tick 1\ntick 2\ntick 3\n");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("follow ends with the container")
                .isLessThan(Duration.ofSeconds(15));

        Path kubectl = Path.of("/usr/bin/kubectl");
        if (!Files.isExecutable(kubectl)) {
            System.err.println("kubectl not installed: the kubectl logs check of NodeAgentUpIT is skipped");
            return;
        }
        assertThat(run(kubectl.toString(), "--kubeconfig", kc, "logs", "talker", "-n", "demo"))
                .isEqualTo("line one\nline two\n");
        assertThat(run(kubectl.toString(), "--kubeconfig", kc, "logs", "talker", "-n", "demo", "--tail=1"))
                .isEqualTo("line two\n");
    }

    private void readinessGatesEndpoints(AllInOne system) throws Exception {
        system.store().create(new Service(ObjectMeta.of("demo", "gate"), new Service.Spec(Map.of("probe", "gated"),
                List.of(new Service.Port("http", 80, "http", "TCP")), null, null)));
        Probe ready = new Probe(null, null, new Probe.Exec(List.of("test", "-f", "ready")), null, 1, 1, 1, 1);
        createPod(system, "gated", Map.of("probe", "gated"), "Always", "sleep 4; touch ready; exec sleep 600", ready);
        awaitRunning(system, "gated");
        await().atMost(Duration.ofSeconds(10)).until(() -> names(system, false).contains("gated"));
        assertThat(names(system, true)).doesNotContain("gated");
        await().atMost(Duration.ofSeconds(20)).until(() -> names(system, true).contains("gated"));
        assertThat(names(system, false)).doesNotContain("gated");
        assertThat(system.store().get(Kinds.POD, "demo", "gated").orElseThrow().isReady()).isTrue();
    }

    private static List<String> names(AllInOne system, boolean ready) {
        List<String> out = new ArrayList<>();
        system.store().get(Kinds.ENDPOINTS, "demo", "gate").ifPresent(e -> {
            for (Endpoints.Subset s : e.subsets()) {
                List<Endpoints.Address> addresses = ready ? s.addresses() : s.notReadyAddresses();
                for (Endpoints.Address a : addresses == null ? List.<Endpoints.Address>of() : addresses) {
                    out.add(a.targetRef().name());
                }
            }
        });
        return out;
    }

    private static void createPod(AllInOne system, String name, Map<String, String> labels, String restartPolicy,
                                  String script, Probe readiness) {
        Container c = new Container("app", BUSYBOX, List.of("sh", "-c", script), null, null,
                List.of(new Container.ContainerPort("http", 8080, null, "TCP")), null, null, null, readiness, null);
        system.store().create(new Pod(ObjectMeta.of("demo", name).withLabels(labels),
                new PodSpec(List.of(c), "node-1", restartPolicy, 1L, null, true), null));
    }

    private static void awaitRunning(AllInOne system, String name) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> system.store()
                .get(Kinds.POD, "demo", name).map(p -> p.status() != null && !p.status().containerStatuses().isEmpty()
                        && p.status().containerStatuses().get(0).state().running() != null).orElse(false));
    }

    /** Runs {@code capstan ARGS} in this JVM and returns what it printed on stdout (exit code 0 required). */
    private static synchronized String capstan(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setOut(saved);
        }
        assertThat(code).as("capstan %s", String.join(" ", args)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
