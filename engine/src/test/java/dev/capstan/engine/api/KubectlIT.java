package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.engine.client.Kubeconfig;
import dev.capstan.model.Json;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.Revision;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against the API server over TLS, with a kubeconfig that {@link Kubeconfig} wrote. */
class KubectlIT {
    private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

    @TempDir
    Path dir;
    InMemoryStateStore store;
    ApiServer server;
    Path kubeconfig;

    @BeforeAll
    static void needsKubectl() {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed at /usr/bin/kubectl: skipping the kubectl test");
    }

    @BeforeEach
    void start() throws IOException {
        store = new InMemoryStateStore();
        store.create(Fixtures.namespace("shop"));
        store.create(Fixtures.node("node-1", true));
        store.create(Fixtures.node("node-2", false));
        store.create(Fixtures.running(Fixtures.pod("shop", "web-1", "node-1", Map.of("app", "web")), "10.0.0.1"));
        store.create(Fixtures.pod("shop", "web-2", null, Map.of("app", "web")));
        store.create(Fixtures.pod("ops", "probe", "node-2", Map.of()));
        store.create(Fixtures.deployment("shop", "web", 2, 1));
        store.create(new Revision(ObjectMeta.of(null, "a1b2c3d"), new Revision.Spec("a1b2c3d4e5f6", "ann",
                "Scale web to 2", null, null, null, null), new Revision.Status(Revision.APPLIED, null, 3, null)));
        server = ApiServer.builder(store).bind("127.0.0.1", 0).adminToken("kubectl-it-token").build().start();
        kubeconfig = dir.resolve("kube/config");
        new Kubeconfig(server.url(), "kubectl-it-token", server.tls().orElseThrow().certificatePem())
                .write(kubeconfig);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void getPodsInAllNamespaces() throws Exception {
        Result r = kubectl("get", "pods", "-A");
        assertThat(r.err).isEmpty();
        assertThat(r.lines()).hasSize(4);
        assertThat(r.lines().get(0)).matches("NAMESPACE\\s+NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE");
        assertThat(r.lines().get(1)).matches("ops\\s+probe\\s+0/1\\s+Pending\\s+0\\s+\\d+s");
        assertThat(r.lines().get(2)).matches("shop\\s+web-1\\s+1/1\\s+Running\\s+0\\s+\\d+s");
        assertThat(r.lines().get(3)).matches("shop\\s+web-2\\s+0/1\\s+Pending\\s+0\\s+\\d+s");
    }

    @Test
    void getPodsWideAddsIpAndNode() throws Exception {
        Result r = kubectl("get", "pods", "-n", "shop", "-o", "wide");
        assertThat(r.err).isEmpty();
        assertThat(r.lines().get(0)).matches("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+IP\\s+NODE");
        assertThat(r.lines().get(1)).matches("web-1\\s+1/1\\s+Running\\s+0\\s+\\d+s\\s+10\\.0\\.0\\.1\\s+node-1");
    }

    @Test
    void getNodes() throws Exception {
        Result r = kubectl("get", "nodes");
        assertThat(r.err).isEmpty();
        assertThat(r.lines().get(0)).matches("NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION");
        assertThat(r.lines().get(1)).matches("node-1\\s+Ready\\s+worker\\s+\\d+s\\s+v1\\.32\\.0-capstan");
        assertThat(r.lines().get(2)).matches("node-2\\s+NotReady\\s+worker\\s+\\d+s\\s+v1\\.32\\.0-capstan");
    }

    @Test
    void getDeploymentsInANamespace() throws Exception {
        Result r = kubectl("get", "deploy", "-n", "shop");
        assertThat(r.err).isEmpty();
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0)).matches("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE");
        assertThat(r.lines().get(1)).matches("web\\s+1/2\\s+2\\s+1\\s+\\d+s");
    }

    @Test
    void getRevisionsOfCapstansOwnGroup() throws Exception {
        Result r = kubectl("get", "revisions");
        assertThat(r.err).isEmpty();
        assertThat(r.lines().get(0)).matches("NAME\\s+PHASE\\s+COMMIT\\s+MESSAGE\\s+AGE");
        assertThat(r.lines().get(1)).matches("a1b2c3d\\s+Applied\\s+a1b2c3d4e5f6\\s+Scale web to 2\\s+\\d+s");
    }

    @Test
    void getOnePodAsJson() throws Exception {
        Result r = kubectl("get", "pod", "web-1", "-n", "shop", "-o", "json");
        assertThat(r.err).isEmpty();
        JsonNode pod = Json.MAPPER.readTree(r.out);
        assertThat(pod.path("kind").asText()).isEqualTo("Pod");
        assertThat(pod.path("metadata").path("name").asText()).isEqualTo("web-1");
        assertThat(pod.path("spec").path("nodeName").asText()).isEqualTo("node-1");
        assertThat(pod.path("status").path("podIP").asText()).isEqualTo("10.0.0.1");
    }

    @Test
    void aMissingPodIsKubernetesNotFound() throws Exception {
        Result r = kubectl("get", "pod", "nope", "-n", "shop");
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err.strip()).isEqualTo("Error from server (NotFound): pods \"nope\" not found");
    }

    @Test
    void watchPrintsTheTableThenEachChange() throws Exception {
        Path errFile = dir.resolve("watch.err");
        ProcessBuilder pb = command("get", "pods", "-A", "--watch").redirectError(errFile.toFile());
        Process p = pb.start();
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.add(line);
                }
            } catch (IOException e) {
                // the process was stopped
            }
        }, "kubectl-watch-reader");
        reader.start();
        try {
            waitFor(() -> out.size() >= 4, "the initial table", out);
            Pod web2 = store.get(Kinds.POD, "shop", "web-2").orElseThrow();
            store.update(Fixtures.running(web2.withSpec(web2.spec().withNodeName("node-1")), "10.0.0.2"));
            waitFor(() -> out.size() >= 5, "the change", out);
            Thread.sleep(300);
        } finally {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
            reader.join(5_000);
        }
        assertThat(Files.readString(errFile)).isEmpty();
        assertThat(out).hasSize(5);
        assertThat(out.get(0)).matches("NAMESPACE\\s+NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE");
        assertThat(out.get(3)).matches("shop\\s+web-2\\s+0/1\\s+Pending\\s+0\\s+\\d+s");
        assertThat(out.get(4)).matches("shop\\s+web-2\\s+1/1\\s+Running\\s+0\\s+\\d+s");
    }

    private static void waitFor(java.util.function.BooleanSupplier ok, String what, List<String> out)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("kubectl --watch did not print " + what + "; it printed " + out);
            }
            Thread.sleep(20);
        }
    }

    private record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private ProcessBuilder command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("cache").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", dir.toString());
        pb.environment().remove("KUBECONFIG");
        return pb;
    }

    private Result kubectl(String... args) throws IOException, InterruptedException {
        Process p = command(args).start();
        p.getOutputStream().close();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), out, err.join());
    }
}
