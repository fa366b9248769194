package dev.capstan.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.engine.api.ApiServer;
import dev.capstan.engine.api.Fixtures;
import dev.capstan.engine.api.InMemoryStateStore;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watch-fed cache against a real API server over HTTP. */
class WatchCacheTest {
    private final InMemoryStateStore store = new InMemoryStateStore();
    private ApiServer server;
    private HttpApiClient client;

    @BeforeEach
    void start() {
        store.create(Fixtures.pod("shop", "web-1", "node-1", Map.of()));
        store.create(Fixtures.pod("shop", "web-2", "node-2", Map.of()));
        server = ApiServer.builder(store).bind("127.0.0.1", 0).plainHttp().adminToken("admin").build().start();
        client = new HttpApiClient(server.url(), "admin");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static List<String> names(WatchCache<Pod> c) {
        return c.objects().stream().map(p -> p.metadata().name()).sorted().toList();
    }

    @Test
    void listsOnceThenFollowsTheWatchWithinItsFieldSelector() {
        List<String> told = new CopyOnWriteArrayList<>();
        try (WatchCache<Pod> cache = WatchCache.start(client, Kinds.POD, "spec.nodeName=node-1",
                e -> told.add(e.type() + " " + e.object().metadata().name()))) {
            assertThat(cache.listed()).isFalse();
            assertThat(cache.objects()).isEmpty();
            cache.relist();
            assertThat(cache.listed()).isTrue();
            assertThat(names(cache)).containsExactly("web-1");

            store.create(Fixtures.pod("shop", "web-3", "node-1", Map.of()));
            store.create(Fixtures.pod("shop", "web-4", "node-2", Map.of())); // another node: not ours
            store.delete(Kinds.POD, "shop", "web-1", null);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(names(cache)).containsExactly("web-3"));
            assertThat(told).containsExactly("ADDED web-3", "DELETED web-1");
            assertThat(cache.get("shop/web-3")).isNotNull();
            assertThat(cache.inNamespace("shop")).hasSize(1);
            assertThat(cache.inNamespace("other")).isEmpty();
        }
    }

    @Test
    void aRelistDropsWhatWasDeletedAndKeepsNewerVersions() {
        try (WatchCache<Pod> cache = WatchCache.start(client, Kinds.POD, null, e -> { })) {
            cache.relist();
            assertThat(names(cache)).containsExactly("web-1", "web-2");
            Pod web2 = store.get(Kinds.POD, "shop", "web-2").orElseThrow();
            store.update(web2.withMetadata(web2.metadata().withLabel("v", "2")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(cache.get("shop/web-2").metadata().label("v")).isEqualTo("2"));
            store.delete(Kinds.POD, "shop", "web-1", null);
            cache.relist();
            assertThat(names(cache)).containsExactly("web-2");
            assertThat(cache.get("shop/web-2").metadata().label("v")).isEqualTo("2");
            assertThat(cache.sinceListed()).isLessThan(Duration.ofSeconds(10).toNanos());
        }
    }

    @Test
    void aFailedListKeepsWhatTheCacheHad() {
        WatchCache<Pod> cache = WatchCache.start(client, Kinds.POD, null, e -> { });
        try {
            cache.relist();
            server.close();
            assertThatThrownBy(cache::relist).isInstanceOf(RuntimeException.class);
            assertThat(names(cache)).containsExactly("web-1", "web-2");
        } finally {
            cache.close();
        }
    }
}
