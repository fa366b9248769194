package dev.capstan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.capstan.engine.api.ApiServer;
import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.controller.builtin.ControlPlaneConfig;
import dev.capstan.engine.controller.builtin.ControlPlaneControllers;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Container;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.Probe;
import dev.capstan.model.Service;
import dev.capstan.node.runtime.Runtimes;
import dev.capstan.node.runtime.cri.CriRuntime;
import dev.capstan.node.runtime.cri.LocalImages;
import dev.capstan.node.runtime.cri.PrivateContainerd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Readiness gates Endpoints, end to end: a private containerd, the agent over the HTTPS API, and the real
 * control plane's Endpoints controller on a Hazelcast store. The readiness probe is an exec probe on a file
 * the test creates and removes inside the container.
 */
class ReadinessEndpointsContainerdIT {
    private Path dir;
    private PrivateContainerd containerd;
    private HazelcastStateStore store;
    private ControlPlaneControllers controllers;
    private ApiServer api;
    private HttpApiClient client;
    private CriRuntime runtime;
    private NodeAgent agent;

    @BeforeEach
    void start() throws Exception {
        Optional<String> why = Runtimes.containerdUnusable(null);
        assumeTrue(why.isEmpty(), () -> "containerd IT skipped: " + why.orElse("")
                + " (CI installs containerd, runc and busybox-static and runs as root)");
        dir = Files.createTempDirectory(Path.of("/tmp"), "capstan-rd-");
        containerd = PrivateContainerd.start(dir.resolve("containerd"));
        LocalImages.ensure(containerd.socket(), dir.resolve("images"));
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("rd-" + UUID.randomUUID())
                .withBackupCount(0));
        controllers = ControlPlaneControllers.start(store, ControlPlaneConfig.defaults());
        String token = UUID.randomUUID().toString();
        api = ApiServer.builder(store).bind("127.0.0.1", 0).adminToken(token).build().start();
        client = new HttpApiClient(api.url(), token, api.tls().map(t -> t.certificatePem()).orElse(null));
        runtime = new CriRuntime(containerd.socket(), "node-r");
        agent = new NodeAgent(AgentConfig.defaults("node-r", 34500, dir.resolve("logs"))
                .withSyncInterval(Duration.ofMillis(200)), client, runtime);
        agent.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.shutdown(true, Duration.ofSeconds(10));
            assertThat(runtime.listSandboxes()).as("every pod removed").isEmpty();
            runtime.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {client, api, controllers, store, containerd}) {
            if (c != null) {
                c.close();
            }
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<String> names(List<Endpoints.Address> addresses) {
        return addresses == null ? List.of() : addresses.stream().map(a -> a.targetRef().name()).toList();
    }

    private List<String> ready() {
        Endpoints.Subset s = subset();
        return s == null ? List.of() : names(s.addresses());
    }

    private List<String> notReady() {
        Endpoints.Subset s = subset();
        return s == null ? List.of() : names(s.notReadyAddresses());
    }

    private Endpoints.Subset subset() {
        return store.get(Kinds.ENDPOINTS, "demo", "web").filter(e -> !e.subsets().isEmpty())
                .map(e -> e.subsets().get(0)).orElse(null);
    }

    @Test
    void aPodIsAnEndpointAddressOnlyWhileItsReadinessProbePasses() throws Exception {
        store.create(new Service(ObjectMeta.of("demo", "web"), new Service.Spec(Map.of("app", "web"),
                List.of(new Service.Port("http", 80, "http", "TCP")), null, null)));
        Probe ready = new Probe(null, null, new Probe.Exec(List.of("test", "-f", "/tmp/ready")), null, 1, 1, 1, 1);
        Container c = new Container("app", LocalImages.BUSYBOX_IMAGE, List.of("sleep", "3600"), null, null,
                List.of(new Container.ContainerPort("http", 8080, null, "TCP")), null, null, null, ready, null);
        store.create(new Pod(ObjectMeta.of("demo", "web-1").withLabel("app", "web"),
                new PodSpec(List.of(c), "node-r", "Always", 1L, null, true), null));

        await().atMost(Duration.ofSeconds(30)).until(() -> notReady().contains("web-1"));
        assertThat(ready()).as("running but not ready").isEmpty();
        String id = runtime.listContainers().get(0).id();

        assertThat(runtime.execSync(id, List.of("touch", "/tmp/ready"), Duration.ofSeconds(5)).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> ready().contains("web-1"));
        assertThat(notReady()).isEmpty();
        assertThat(store.get(Kinds.POD, "demo", "web-1").orElseThrow().status().containerStatuses().get(0).ready())
                .isTrue();

        assertThat(runtime.execSync(id, List.of("rm", "/tmp/ready"), Duration.ofSeconds(5)).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> ready().isEmpty() && notReady().contains("web-1"));
        assertThat(store.get(Kinds.POD, "demo", "web-1").orElseThrow().status().containerStatuses().get(0)
                .restartCount()).as("readiness never restarts").isZero();
    }
}
