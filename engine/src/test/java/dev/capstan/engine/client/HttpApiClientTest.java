package dev.capstan.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.engine.api.ApiServer;
import dev.capstan.engine.api.Fixtures;
import dev.capstan.engine.api.Identity;
import dev.capstan.engine.api.InMemoryStateStore;
import dev.capstan.engine.store.AlreadyExistsException;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real server on 127.0.0.1 (plain HTTP; one test over TLS). */
class HttpApiClientTest {
    private final InMemoryStateStore store = new InMemoryStateStore();
    private ApiServer server;
    private HttpApiClient client;

    @BeforeEach
    void start() {
        store.create(Fixtures.node("node-1", true));
        store.create(Fixtures.pod("shop", "web-1", "node-1", Map.of("app", "web")));
        store.create(Fixtures.pod("shop", "web-2", "node-2", Map.of("app", "web")));
        store.create(Fixtures.deployment("shop", "web", 2, 0));
        server = ApiServer.builder(store).bind("127.0.0.1", 0).plainHttp().adminToken("admin")
                .token("alice", Identity.user("alice")).build().start();
        client = new HttpApiClient(server.url(), "admin");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void listsGetsAndFiltersByField() {
        assertThat(client.list(Kinds.POD, null, null)).extracting(p -> p.metadata().name())
                .containsExactly("web-1", "web-2");
        assertThat(client.list(Kinds.POD, "shop", "spec.nodeName=node-2")).extracting(p -> p.metadata().name())
                .containsExactly("web-2");
        assertThat(client.list(Kinds.POD, "elsewhere", null)).isEmpty();
        assertThat(client.get(Kinds.NODE, null, "node-1")).map(Node::isReady).contains(true);
        assertThat(client.get(Kinds.POD, "shop", "nope")).isEmpty();
        HttpApiClient.Listing<Pod> listing = client.listWithVersion(Kinds.POD, "shop", "app=web", null);
        assertThat(listing.resourceVersion()).isEqualTo(store.resourceVersion());
        assertThat(listing.items()).hasSize(2);
    }

    @Test
    void createsUpdatesWithCasAndDeletes() {
        Pod created = client.create(Fixtures.pod("shop", "web-3", null, Map.of()));
        assertThat(created.metadata().uid()).isNotEmpty();
        assertThatThrownBy(() -> client.create(Fixtures.pod("shop", "web-3", null, Map.of())))
                .isInstanceOf(AlreadyExistsException.class);

        Deployment d = client.get(Kinds.DEPLOYMENT, "shop", "web").orElseThrow();
        Deployment scaled = client.update(d.withSpec(d.spec().withReplicas(4)));
        assertThat(scaled.spec().replicas()).isEqualTo(4);
        assertThatThrownBy(() -> client.update(d.withSpec(d.spec().withReplicas(5))))
                .isInstanceOf(ConflictException.class).hasMessageContaining("has been modified");

        assertThat(client.delete(Kinds.POD, "shop", "web-3")).isTrue();
        assertThat(client.delete(Kinds.POD, "shop", "web-3")).isFalse();
        assertThat(store.get(Kinds.POD, "shop", "web-3")).isEmpty();
    }

    @Test
    void updatesStatusThroughTheSubresourceOnly() {
        Pod p = client.get(Kinds.POD, "shop", "web-1").orElseThrow();
        Pod running = Fixtures.running(p, "10.0.0.5");
        Pod changedSpec = running.withSpec(running.spec().withNodeName("elsewhere"));
        Pod back = client.updateStatus(changedSpec);
        assertThat(back.status().podIP()).isEqualTo("10.0.0.5");
        assertThat(back.nodeName()).isEqualTo("node-1");
        Node n = client.get(Kinds.NODE, null, "node-1").orElseThrow();
        Node notReady = Fixtures.node("node-1", false).withMetadata(n.metadata());
        assertThat(client.updateStatus(notReady).isReady()).isFalse();
    }

    @Test
    void mapsRefusalsToStoreExceptions() {
        try (HttpApiClient alice = new HttpApiClient(server.url(), "alice");
             HttpApiClient stranger = new HttpApiClient(server.url(), "wrong")) {
            assertThatThrownBy(() -> alice.delete(Kinds.DEPLOYMENT, "shop", "web"))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("change it in Git: commit to the repository that Capstan follows")
                    .extracting(e -> ((StoreException) e).httpStatus(), e -> ((StoreException) e).reason())
                    .containsExactly(403, "Forbidden");
            assertThatThrownBy(() -> stranger.list(Kinds.POD, null, null)).isInstanceOf(StoreException.class)
                    .extracting(e -> ((StoreException) e).httpStatus()).isEqualTo(401);
        }
        assertThatThrownBy(() -> client.list(Kinds.POD, null, "spec.image=x")).isInstanceOf(StoreException.class)
                .hasMessage("field label not supported: spec.image");
    }

    @Test
    void anUnreachableServerIsApiUnavailableNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (HttpApiClient nowhere = new HttpApiClient(URI.create("http://127.0.0.1:" + port), "admin")) {
            assertThatThrownBy(() -> nowhere.list(Kinds.POD, null, null))
                    .isInstanceOf(ApiUnavailableException.class)
                    .hasMessageContaining("http://127.0.0.1:" + port).hasMessageContaining("connection refused");
        }
    }

    @Test
    void speaksTlsPinnedToTheServersCertificate() {
        try (ApiServer tls = ApiServer.builder(store).bind("127.0.0.1", 0).adminToken("admin").build().start()) {
            assertThat(tls.url().getScheme()).isEqualTo("https");
            String ca = tls.tls().orElseThrow().certificatePem();
            try (HttpApiClient pinned = new HttpApiClient(tls.url(), "admin", ca)) {
                assertThat(pinned.list(Kinds.NODE, null, null)).hasSize(1);
            }
            try (HttpApiClient untrusting = new HttpApiClient(tls.url(), "admin")) {
                assertThatThrownBy(() -> untrusting.list(Kinds.NODE, null, null))
                        .isInstanceOf(ApiUnavailableException.class);
            }
        }
    }

    @Test
    void fetchesServerSideTablesForCapstanGet() {
        var table = client.table(Kinds.POD, "shop", "app=web");
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("rows")).hasSize(2);
        assertThat(List.of(table.path("columnDefinitions").get(0).path("name").asText())).containsExactly("Name");
    }
}
