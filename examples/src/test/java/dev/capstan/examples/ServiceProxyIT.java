package dev.capstan.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.cli.up.AllInOne;
import dev.capstan.cli.up.UpOptions;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import dev.capstan.model.Service;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/hello with its port exposed as 80, under the process runtime: the Service gets a cluster IP from
 * 127.77.0.0/16 and the service proxy answers on {@code clusterIP:80} from both replicas.
 */
class ServiceProxyIT {
    private static final Path HELLO = Path.of("hello/hello.cap");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path tmp;

    @Test
    void theClusterIpAnswersFromEveryReplica() throws Exception {
        Assumptions.assumeTrue(canBindPort80(), "binding port 80 needs root (or a lower "
                + "net.ipv4.ip_unprivileged_port_start); the service proxy test is skipped");
        Path repo = tmp.resolve("repo");
        Path app = repo.resolve("apps/hello");
        Files.createDirectories(app);
        String source = Files.readString(HELLO);
        assertThat(source).contains("port http 8080\n");
        Files.writeString(app.resolve("hello.cap"), source.replace("port http 8080\n", "port http 8080 expose 80\n"));
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Add hello").setAuthor("Test", "test@example.com")
                    .setCommitter("Test", "test@example.com").setSign(false).call();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            UpOptions opts = new UpOptions(app, 2, "process", null, Duration.ofMillis(300), "127.0.0.1", 0,
                    tmp.resolve("kubeconfig"), tmp.resolve("state"), 47000, "it-" + UUID.randomUUID(),
                    Duration.ofSeconds(3));
            try (AllInOne system = AllInOne.start(opts, new PrintStream(output, true, StandardCharsets.UTF_8))) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> readyPods(system).size() == 2 && readyEndpoints(system) == 2);
                Service svc = system.store().get(Kinds.SERVICE, "demo", "hello").orElseThrow();
                String ip = svc.spec().clusterIP();
                assertThat(ip).startsWith("127.77.");
                assertThat(svc.spec().ports()).extracting(Service.Port::port).containsExactly(80);

                Set<String> expected = new TreeSet<>();
                readyPods(system).forEach(p -> expected.add("hello from " + p.metadata().name()));
                Set<String> seen = new TreeSet<>();
                URI uri = URI.create("http://" + ip + ":80/");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    for (int i = 0; i < 4; i++) {
                        String body = get(uri);
                        if (body != null) {
                            seen.add(body.strip());
                        }
                    }
                    return seen.containsAll(expected);
                });
                assertThat(seen).isEqualTo(expected);
                assertThat(system.proxy().table().counters("demo/hello").orElseThrow().connections())
                        .isGreaterThanOrEqualTo(2);
                assertThat(output.toString(StandardCharsets.UTF_8)).contains("service proxy");

                String listed = kubectl(opts.kubeconfig(), "get", "svc", "-n", "demo");
                if (listed != null) {
                    assertThat(listed).contains("CLUSTER-IP")
                            .containsPattern("hello\\s+ClusterIP\\s+" + ip.replace(".", "\\.") + "\\s");
                    // the proxy's counters, as Prometheus text, through the API
                    assertThat(kubectl(opts.kubeconfig(), "get", "--raw", "/metrics"))
                            .containsPattern("capstan_proxy_connections_total\\{mode=\"netty\",service=\"demo/hello\"\\} "
                                    + "[1-9][0-9]*\n")
                            .contains("# TYPE capstan_dns_queries_total counter");
                }
            }
        }
    }

    private String get(URI uri) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null; // the proxy may not have bound the address yet
        }
    }

    private static List<Pod> readyPods(AllInOne system) {
        return system.store().list(Kinds.POD, "demo").stream()
                .filter(p -> p.metadata().deletionTimestamp() == null && Pod.RUNNING.equals(p.phase()) && p.isReady())
                .toList();
    }

    private static int readyEndpoints(AllInOne system) {
        return system.store().get(Kinds.ENDPOINTS, "demo", "hello")
                .map(e -> e.subsets().stream().mapToInt(s -> s.addresses() == null ? 0 : s.addresses().size()).sum())
                .orElse(0);
    }

    /** Runs the real kubectl against the system; null (and a message) when kubectl is not installed. */
    private static String kubectl(Path kubeconfig, String... args) throws Exception {
        Path bin = Path.of("/usr/bin/kubectl");
        if (!Files.isExecutable(bin)) {
            System.err.println("kubectl not installed: the kubectl check of ServiceProxyIT is skipped");
            return null;
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString(), "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static boolean canBindPort80() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(80, 1,
                java.net.InetAddress.getByName("127.77.255.254"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
