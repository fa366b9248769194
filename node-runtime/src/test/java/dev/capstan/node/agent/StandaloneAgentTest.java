package dev.capstan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.engine.api.ApiServer;
import dev.capstan.engine.api.Identity;
import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.NotFoundException;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.model.Container;
import dev.capstan.model.Kinds;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate agent ({@code capstan agent}) against a real control plane: a Hazelcast store and the HTTPS API
 * server with the agents' token; the agent (process runtime, its own API client and log endpoint) runs on
 * its own threads and reaches the control plane only over HTTP, as another process would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneAgentTest {
    private static final String BUSYBOX = "capstan.local/busybox:1.35";

    @TempDir
    static Path dir;
    private HazelcastStateStore store;
    private ApiServer api;
    private HttpApiClient admin;
    private StandaloneAgent agent;
    private final String agentToken = UUID.randomUUID().toString();

    @BeforeAll
    void controlPlane() {
        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName("agent-" + UUID.randomUUID())
                .withBackupCount(0));
        String adminToken = UUID.randomUUID().toString();
        api = ApiServer.builder(store).bind("127.0.0.1", 0).adminToken(adminToken)
                .token(agentToken, new Identity("agents", Identity.Role.ADMIN))
                .logSource(new NodeLogSource(name -> store.get(Kinds.NODE, null, name), agentToken)).build().start();
        admin = new HttpApiClient(api.url(), adminToken, ca());
    }

    private String ca() {
        return api.tls().map(t -> t.certificatePem()).orElse(null);
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    @AfterAll
    void stop() {
        admin.close();
        api.close();
        store.close();
    }

    private StandaloneAgent startAgent(String token) throws Exception {
        return startAgent(token, "far-1");
    }

    private StandaloneAgent startAgent(String token, String node) throws Exception {
        return StandaloneAgent.start(new StandaloneAgent.Options(api.url(), token, ca(), node, "process", null,
                dir.resolve("agent-" + UUID.randomUUID()), 33000 + (int) (ProcessHandle.current().pid() % 400) * 20,
                Map.of("zone", "far"), "127.0.0.1", 0, false));
    }

    @Test
    void registersItsNodeRunsPodsAndServesTheirLogsThroughTheApi() throws Exception {
        agent = startAgent(agentToken);
        Node node = await().atMost(Duration.ofSeconds(10)).until(() -> admin.get(Kinds.NODE, null, "far-1"),
                java.util.Optional::isPresent).orElseThrow();
        assertThat(node.metadata().labels()).containsEntry("zone", "far");
        assertThat(node.metadata().annotations()).containsEntry(NodeLogSource.ENDPOINT_ANNOTATION,
                agent.logEndpoint().toString());

        Container c = new Container("app", BUSYBOX, List.of("sh", "-c", "echo hello from far away; exec sleep 60"),
                null, null, null, null, null);
        admin.create(new Pod(ObjectMeta.of("demo", "far"), new PodSpec(List.of(c), "far-1", "Always", 1L, null, true),
                null));
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.get(Kinds.POD, "demo", "far")
                .map(p -> Pod.RUNNING.equals(p.phase())).orElse(false));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(read(admin.logs("demo", "far", null, false, false, null))).contains("hello from far away"));
        assertThatThrownBy(() -> read(admin.logs("demo", "far", null, false, true, null)))
                .as("no previous attempt: the agent's 404 comes through the API")
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void theLogEndpointRefusesRequestsWithoutTheAgentsToken() throws Exception {
        agent = startAgent(agentToken);
        URI uri = agent.logEndpoint().resolve(AgentLogServer.PATH + "demo/x/app?uid=u");
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer wrong").build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + agentToken).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    @Test
    void aWrongTokenIsRefusedAtRegistration() {
        assertThatThrownBy(() -> agent = startAgent("not-a-token", "far-2"))
                .hasMessageContaining("401").hasMessageContaining("agent-token");
        assertThat(admin.get(Kinds.NODE, null, "far-2")).isEmpty();
    }

    private static String read(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
