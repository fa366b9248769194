package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.store.NotFoundException;
import dev.capstan.model.Container;
import dev.capstan.model.Pod;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pod logs over a real socket: the log source runs on the server's log threads. */
class LogsTest {
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final List<LogSource.LogRequest> asked = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private volatile PipedOutputStream follow;
    private ApiServer server;

    @BeforeEach
    void start() {
        store.create(Fixtures.pod("shop", "web-1", "node-1", Map.of()));
        Pod two = Fixtures.pod("shop", "two", "node-1", Map.of());
        Container side = new Container("side", "x", null, null, null, null, null, null);
        store.create(two.withSpec(new dev.capstan.model.PodSpec(List.of(two.spec().containers().get(0), side),
                "node-1", null, null, null, null)));
        LogSource source = req -> {
            asked.add(req);
            if (req.container().equals("side")) {
                throw new NotFoundException("container side of pod two has not started");
            }
            if (req.follow()) {
                PipedInputStream in = new PipedInputStream();
                follow = new PipedOutputStream(in);
                return in;
            }
            return new ByteArrayInputStream("line 1\nline 2\n".getBytes(StandardCharsets.UTF_8));
        };
        server = ApiServer.builder(store).bind("127.0.0.1", 0).plainHttp().adminToken("t").logSource(source)
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void streamsTheLogOfTheOnlyContainer() throws Exception {
        HttpResponse<String> r = get("/api/v1/namespaces/shop/pods/web-1/log?tailLines=10");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(r.body()).isEqualTo("line 1\nline 2\n");
        assertThat(asked.get(0).container()).isEqualTo("main");
        assertThat(asked.get(0).tailLines()).isEqualTo(10);
        assertThat(asked.get(0).follow()).isFalse();
    }

    @Test
    void followsUntilTheSourceEnds() throws Exception {
        HttpRequest req = request("/api/v1/namespaces/shop/pods/web-1/log?follow=true").build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (follow == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        follow.write("first\n".getBytes(StandardCharsets.UTF_8));
        follow.flush();
        byte[] first = r.body().readNBytes(6);
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("first\n");
        follow.write("second\n".getBytes(StandardCharsets.UTF_8));
        follow.close();
        assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second\n");
    }

    @Test
    void asksWhichContainerWhenThePodHasSeveralAndPassesSourceRefusalsOn() throws Exception {
        HttpResponse<String> which = get("/api/v1/namespaces/shop/pods/two/log");
        assertThat(which.statusCode()).isEqualTo(400);
        assertThat(which.body()).contains("a container name must be specified for pod two, choose one of: [main, side]");
        assertThat(get("/api/v1/namespaces/shop/pods/two/log?container=nope").statusCode()).isEqualTo(400);
        HttpResponse<String> refused = get("/api/v1/namespaces/shop/pods/two/log?container=side");
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(refused.body()).contains("container side of pod two has not started");
        assertThat(get("/api/v1/namespaces/shop/pods/web-1/log?tailLines=-3").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/namespaces/shop/pods/gone/log").statusCode()).isEqualTo(404);
    }

    @Test
    void withoutALogSourceTheAnswerIsAClear404() throws Exception {
        try (ApiServer bare = ApiServer.builder(store).bind("127.0.0.1", 0).plainHttp().adminToken("t").build()
                .start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(bare.url()
                    + "/api/v1/namespaces/shop/pods/web-1/log")).header("Authorization", "Bearer t").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("logs of pod \\\"web-1\\\" are not available: this API server has no log source");
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer t");
    }
}
