package dev.capstan.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.engine.api.ApiServer;
import dev.capstan.engine.api.Fixtures;
import dev.capstan.engine.api.InMemoryStateStore;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientWatchTest {
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private ApiServer server;
    private HttpApiClient client;

    @BeforeEach
    void start() {
        store.create(Fixtures.pod("shop", "web-1", "node-1", Map.of()));
        server = serve(0);
        client = new HttpApiClient(server.url(), "admin");
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private ApiServer serve(int port) {
        return ApiServer.builder(store).bind("127.0.0.1", port).plainHttp().adminToken("admin").build().start();
    }

    private void record(WatchEvent<Pod> e) {
        seen.add(e.type() + " " + e.object().metadata().name());
    }

    @Test
    void reportsChangesFromNowOnInOrder() {
        client.watch(Kinds.POD, null, null, this::record);
        store.create(Fixtures.pod("shop", "web-2", null, Map.of()));
        Pod web1 = store.get(Kinds.POD, "shop", "web-1").orElseThrow();
        store.update(Fixtures.running(web1, "10.0.0.1"));
        store.delete(Kinds.POD, "shop", "web-2", null);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
        assertThat(seen).containsExactly("ADDED web-2", "MODIFIED web-1", "DELETED web-2");
    }

    @Test
    void watchingFromAListsVersionLosesNothingInBetween() {
        HttpApiClient.Listing<Pod> list = client.listWithVersion(Kinds.POD, null, null, null);
        store.create(Fixtures.pod("shop", "between", null, Map.of()));
        client.watch(Kinds.POD, null, null, list.resourceVersion(), this::record);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("ADDED between"));
    }

    @Test
    void watchesOnlyWhatTheFieldSelectorPicks() {
        client.watch(Kinds.POD, "shop", "spec.nodeName=node-2", this::record);
        store.create(Fixtures.pod("shop", "elsewhere", "node-1", Map.of()));
        store.create(Fixtures.pod("shop", "mine", "node-2", Map.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("ADDED mine"));
        assertThat(seen).containsExactly("ADDED mine");
    }

    @Test
    void aftersARestartOfTheServerItRelistsAndReportsWhatChangedMeanwhile() {
        store.create(Fixtures.pod("shop", "doomed", null, Map.of()));
        client.watch(Kinds.POD, null, null, this::record);
        int port = server.port();
        server.close();
        store.create(Fixtures.pod("shop", "born", null, Map.of()));
        store.delete(Kinds.POD, "shop", "doomed", null);
        Pod web1 = store.get(Kinds.POD, "shop", "web-1").orElseThrow();
        store.update(Fixtures.running(web1, "10.0.0.9"));
        server = serve(port);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 3);
        assertThat(seen).containsExactlyInAnyOrder("ADDED born", "DELETED doomed", "MODIFIED web-1");
        store.create(Fixtures.pod("shop", "later", null, Map.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("ADDED later"));
        assertThat(seen).hasSize(4);
    }

    @Test
    void closingStopsEventsAndTheThread() throws Exception {
        Watch w = client.watch(Kinds.POD, null, null, this::record);
        store.create(Fixtures.pod("shop", "one", null, Map.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        w.close();
        store.create(Fixtures.pod("shop", "two", null, Map.of()));
        Thread.sleep(200);
        assertThat(seen).containsExactly("ADDED one");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("capstan-watch-pods"));
    }

    @Test
    void reconnectsWhenAStreamGoesSilent() throws Exception {
        AtomicInteger watches = new AtomicInteger();
        try (ServerSocket stub = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> silentServer(stub, watches), "silent-stub");
            t.setDaemon(true);
            t.start();
            try (HttpApiClient c = new HttpApiClient(URI.create("http://127.0.0.1:" + stub.getLocalPort()), "x")
                    .watchIdleTimeout(Duration.ofMillis(400))) {
                c.watch(Kinds.POD, null, null, this::record);
                await().atMost(Duration.ofSeconds(10)).until(() -> watches.get() >= 2);
            }
        }
    }

    /** Answers lists with an empty PodList and watches with headers and then nothing at all. */
    private static void silentServer(ServerSocket stub, AtomicInteger watches) {
        List<Socket> open = new CopyOnWriteArrayList<>();
        try {
            while (true) {
                Socket s = stub.accept();
                open.add(s);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String requestLine = in.readLine();
                while (true) {
                    String h = in.readLine();
                    if (h == null || h.isEmpty()) {
                        break;
                    }
                }
                OutputStream out = s.getOutputStream();
                if (requestLine != null && requestLine.contains("watch=true")) {
                    watches.incrementAndGet();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                } else {
                    byte[] body = "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[]}"
                            .getBytes(StandardCharsets.US_ASCII);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                }
                out.flush();
            }
        } catch (java.io.IOException e) {
            // the stub closed: the test is over
        } finally {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (java.io.IOException ignored) {
                    // closing
                }
            }
        }
    }
}
