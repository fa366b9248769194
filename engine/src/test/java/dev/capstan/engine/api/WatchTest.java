package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WatchTest {
    private EmbeddedApi api = new EmbeddedApi();

    @BeforeEach
    void objects() {
        api.store.create(Fixtures.pod("shop", "web-1", "node-1", Map.of("app", "web")));
        api.store.create(Fixtures.pod("other", "db-1", "node-2", Map.of("app", "db")));
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void startsWithAddedForWhatExistsThenStreamsChanges() {
        EmbeddedApi.Response w = api.get("/api/v1/pods?watch=true");
        assertThat(w.status).isEqualTo(200);
        assertThat(w.headers.get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(events(w)).containsExactly("ADDED db-1", "ADDED web-1");

        Pod web = api.store.get(Kinds.POD, "shop", "web-1").orElseThrow();
        api.store.update(Fixtures.running(web, "10.0.0.1"));
        api.store.create(Fixtures.pod("shop", "web-2", null, Map.of("app", "web")));
        api.store.delete(Kinds.POD, "other", "db-1", null);
        assertThat(events(api.poll())).containsExactly("ADDED db-1", "ADDED web-1", "MODIFIED web-1",
                "ADDED web-2", "DELETED db-1");
        assertThat(w.lines().get(2).path("object").path("status").path("podIP").asText()).isEqualTo("10.0.0.1");
        assertThat(w.complete).isFalse();
    }

    @Test
    void resourceVersionZeroAlsoStartsWithAdded() {
        assertThat(events(api.get("/api/v1/namespaces/shop/pods?watch=1&resourceVersion=0")))
                .containsExactly("ADDED web-1");
    }

    @Test
    void resumesAfterAResourceVersionWithoutRepeatingOlderChanges() {
        String rv = api.store.resourceVersion();
        Pod web = api.store.get(Kinds.POD, "shop", "web-1").orElseThrow();
        api.store.update(Fixtures.running(web, "10.0.0.1"));
        api.store.delete(Kinds.POD, "other", "db-1", null);
        EmbeddedApi.Response w = api.get("/api/v1/pods?watch=true&resourceVersion=" + rv);
        assertThat(events(w)).containsExactly("MODIFIED web-1", "DELETED db-1");
        api.store.create(Fixtures.pod("shop", "web-2", null, Map.of()));
        assertThat(events(api.poll())).containsExactly("MODIFIED web-1", "DELETED db-1", "ADDED web-2");
    }

    @Test
    void aVersionOlderThanTheWindowIsExpired() {
        api.close();
        api = new EmbeddedApi(new InMemoryStateStore(), b -> b.watchWindow(2));
        for (int i = 0; i < 5; i++) {
            api.store.create(Fixtures.pod("shop", "p-" + i, null, Map.of()));
        }
        EmbeddedApi.Response w = api.get("/api/v1/pods?watch=true&resourceVersion=1");
        assertThat(w.status).isEqualTo(200);
        JsonNode error = w.lines().get(0);
        assertThat(error.path("type").asText()).isEqualTo("ERROR");
        assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
        assertThat(error.path("object").path("reason").asText()).isEqualTo("Expired");
        assertThat(w.complete).isTrue();
        assertThat(events(api.get("/api/v1/pods?watch=true&resourceVersion=4"))).containsExactly("ADDED p-4");
    }

    @Test
    void aVersionFromBeforeTheServerStartedOrFromTheFutureIsExpired() {
        InMemoryStateStore existing = new InMemoryStateStore();
        existing.create(Fixtures.pod("shop", "old-1", null, Map.of()));
        existing.create(Fixtures.pod("shop", "old-2", null, Map.of()));
        try (EmbeddedApi restarted = new EmbeddedApi(existing, b -> { })) {
            EmbeddedApi.Response old = restarted.get("/api/v1/pods?watch=true&resourceVersion=1");
            assertThat(old.lines().get(0).path("object").path("code").asInt()).isEqualTo(410);
            EmbeddedApi.Response future = restarted.get("/api/v1/pods?watch=true&resourceVersion=999");
            assertThat(future.lines().get(0).path("object").path("code").asInt()).isEqualTo(410);
            assertThat(restarted.get("/api/v1/pods?watch=true&resourceVersion=abc").status).isEqualTo(400);
            assertThat(events(restarted.get("/api/v1/pods?watch=true&resourceVersion=2"))).isEmpty();
        }
    }

    @Test
    void filtersBySelectorsAndReportsObjectsLeavingTheSelectionAsDeleted() {
        EmbeddedApi.Response w = api.get("/api/v1/pods?watch=true&labelSelector=app%3Dweb");
        assertThat(events(w)).containsExactly("ADDED web-1");
        Pod web = api.store.get(Kinds.POD, "shop", "web-1").orElseThrow();
        api.store.update(web.withMetadata(web.metadata().withLabels(Map.of("app", "other"))));
        Pod db = api.store.get(Kinds.POD, "other", "db-1").orElseThrow();
        api.store.update(db.withMetadata(db.metadata().withLabels(Map.of("app", "web"))));
        assertThat(events(api.poll())).containsExactly("ADDED web-1", "DELETED web-1", "ADDED db-1");
    }

    @Test
    void nodeAgentsWatchTheirPodsByFieldSelector() {
        EmbeddedApi.Response w = api.get("/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dnode-2");
        api.store.create(Fixtures.pod("shop", "web-9", "node-2", Map.of()));
        api.store.create(Fixtures.pod("shop", "web-8", "node-1", Map.of()));
        assertThat(events(api.poll())).containsExactly("ADDED db-1", "ADDED web-9");
    }

    @Test
    void endsAfterTimeoutSecondsAndStopsListening() {
        api.channel.freezeTime();
        EmbeddedApi.Response w = api.get("/api/v1/pods?watch=true&timeoutSeconds=2");
        assertThat(w.complete).isFalse();
        api.channel.advanceTimeBy(2100, TimeUnit.MILLISECONDS);
        api.channel.runScheduledPendingTasks();
        assertThat(api.poll().complete).isTrue();
        api.store.create(Fixtures.pod("shop", "late", null, Map.of()));
        assertThat(events(api.poll())).doesNotContain("ADDED late");
        assertThat(api.get("/api/v1/namespaces/shop/pods/late").status).isEqualTo(200);
    }

    @Test
    void sendsBookmarksSoAFilteredWatchStillAdvances() {
        api.close();
        api = new EmbeddedApi(new InMemoryStateStore(), b -> b.bookmarkInterval(Duration.ofSeconds(1)));
        api.store.create(Fixtures.pod("shop", "web-1", null, Map.of("app", "web")));
        api.channel.freezeTime();
        api.get("/api/v1/pods?watch=true&allowWatchBookmarks=true&labelSelector=app%3Ddb&resourceVersion=1");
        api.store.create(Fixtures.pod("shop", "web-2", null, Map.of("app", "web")));
        api.channel.advanceTimeBy(1100, TimeUnit.MILLISECONDS);
        api.channel.runScheduledPendingTasks();
        List<JsonNode> lines = api.poll().lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("type").asText()).isEqualTo("BOOKMARK");
        assertThat(lines.get(0).path("object").path("kind").asText()).isEqualTo("Pod");
        assertThat(lines.get(0).path("object").path("metadata").path("resourceVersion").asText()).isEqualTo("2");
    }

    @Test
    void streamsTableRowsWhenATableIsAsked() {
        EmbeddedApi.Response w = api.call("GET", "/api/v1/namespaces/shop/pods?watch=true", EmbeddedApi.ADMIN,
                EmbeddedApi.TABLE, null);
        JsonNode first = w.lines().get(0);
        assertThat(first.path("object").path("kind").asText()).isEqualTo("Table");
        assertThat(first.path("object").path("rows").get(0).path("cells").get(0).asText()).isEqualTo("web-1");
        assertThat(first.path("object").path("columnDefinitions").size()).isEqualTo(7);
    }

    @Test
    void closingTheConnectionReleasesTheWatch() {
        api.get("/api/v1/pods?watch=true");
        api.channel.close();
        api.channel.runPendingTasks();
        api.store.create(Fixtures.pod("shop", "after", null, Map.of()));
        api.channel.runPendingTasks();
        assertThat(api.server.context().watchCache().window(Kinds.POD)).isNotNull();
        assertThat(api.channel.isActive()).isFalse();
    }

    private static List<String> events(EmbeddedApi.Response r) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : r.lines()) {
            out.add(l.path("type").asText() + " " + l.path("object").path("metadata").path("name").asText());
        }
        return out;
    }
}
