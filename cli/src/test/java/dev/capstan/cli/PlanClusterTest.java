package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.engine.api.ApiServer;
import dev.capstan.engine.client.Kubeconfig;
import dev.capstan.engine.scheduler.Placement;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Container;
import dev.capstan.model.Json;
import dev.capstan.model.Namespace;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capstan plan --cluster}: the placement snapshot is read from a real API server over a real store —
 * its nodes, and the room its running pods already take.
 */
class PlanClusterTest {
    @TempDir
    static Path tmp;
    private static HazelcastStateStore store;
    private static ApiServer server;
    private static String kubeconfig;
    private static Path deploy;
    private static String first;
    private static String second;

    @BeforeAll
    static void start() throws Exception {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("plan-" + UUID.randomUUID())
                .withPort(20000 + ThreadLocalRandom.current().nextInt(20000)).withBackupCount(0));
        server = ApiServer.builder(store).bind("127.0.0.1", 0).plainHttp().adminToken("t").build().start();
        Path kc = tmp.resolve("kubeconfig");
        new Kubeconfig(server.url(), "t", null).write(kc);
        kubeconfig = kc.toString();
        for (String n : List.of("n1", "n2")) {
            store.create(Placement.simulatedNode(n, Map.of("cpu", "2", "memory", "1Gi", "pods", "110"),
                    Map.of("kubernetes.io/hostname", n), List.of()));
        }
        store.create(new Namespace(ObjectMeta.of(null, "ops")));
        // Not from Git: a pod already running on n1 that leaves 256Mi there.
        Container c = new Container("main", "x/batch:1", null, null, null, null,
                new Container.Resources(Map.of("cpu", "100m", "memory", "768Mi"), null), null);
        store.create(new Pod(ObjectMeta.of("ops", "batch-1"), new PodSpec(List.of(c), "n1", null, null, null, null),
                Pod.Status.pending(null, null, null)));

        deploy = tmp.resolve("repo/deploy");
        Files.createDirectories(deploy);
        try (Git git = Git.init().setDirectory(tmp.resolve("repo").toFile()).setInitialBranch("main").call()) {
            Files.writeString(deploy.resolve("app.cap"), app(1, "1.0"));
            first = commit(git, "one app");
            Files.writeString(deploy.resolve("app.cap"), app(3, "1.1"));
            second = commit(git, "three apps, new image");
        }
    }

    private static String app(int replicas, String version) {
        return "namespace demo { }\nservice app in demo {\n  image \"x/app:" + version + "\"\n  replicas " + replicas
                + "\n  resources { cpu 100m  memory 512Mi }\n}\n";
    }

    private static String commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("T", "t@example.com").setCommitter("T", "t@example.com")
                .setSign(false).call().name();
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void runningPodsOfTheClusterTakeRoomInTheSimulation() throws Exception {
        CliRun r = CliRun.of("plan", "--repo", deploy.toString(), "--base", first, "--head", second, "--cluster",
                "--kubeconfig", kubeconfig, "--format", "json");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        JsonNode p = Json.MAPPER.readTree(r.out()).get("placement");
        assertThat(p.get("source").asText()).isEqualTo(server.url().toString().replaceAll("/+$", ""));
        assertThat(p.get("nodes").asInt()).isEqualTo(2);
        assertThat(p.get("newPods").asInt()).isEqualTo(3);
        assertThat(p.get("scheduled").asInt()).isEqualTo(2); // both on n2: n1 has 256Mi left
        assertThat(p.at("/unfit/0/reason").asText()).isEqualTo("0/2 nodes are available: 2 insufficient memory.");
    }

    @Test
    void anExplicitUrlUsesTheKubeconfigsToken() {
        CliRun r = CliRun.of("plan", "--repo", deploy.toString(), "--base", first, "--head", second, "--cluster",
                server.url().toString(), "--kubeconfig", kubeconfig);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("(2 nodes): 3 new pods, 2 scheduled, 1 does not fit",
                "demo/app  1 pod  0/2 nodes are available: 2 insufficient memory.");
    }
}
