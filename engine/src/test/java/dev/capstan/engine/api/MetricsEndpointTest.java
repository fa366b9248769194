package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: the text its source gives at each request, behind a token; 404 without a source. */
class MetricsEndpointTest {

    @Test
    void servesTheSourcesTextAtEachRequestToAuthenticatedCallers() {
        AtomicInteger scrapes = new AtomicInteger();
        try (EmbeddedApi api = new EmbeddedApi(new InMemoryStateStore(),
                b -> b.metrics(() -> "# TYPE x counter\nx " + scrapes.incrementAndGet() + "\n"))) {
            EmbeddedApi.Response r = api.get("/metrics");
            assertThat(r.status).isEqualTo(200);
            assertThat(r.headers.get("Content-Type")).startsWith("text/plain; version=0.0.4");
            assertThat(r.body.toString()).isEqualTo("# TYPE x counter\nx 1\n");
            assertThat(api.get("/metrics").body.toString()).endsWith("x 2\n");
            assertThat(api.call("GET", "/metrics", null, null, null).status).isEqualTo(401);
            assertThat(api.call("POST", "/metrics", EmbeddedApi.ADMIN, null, "").status).isEqualTo(405);
            assertThat(scrapes.get()).isEqualTo(2);
        }
    }

    @Test
    void withoutASourceItIsNotFound() {
        try (EmbeddedApi api = new EmbeddedApi()) {
            assertThat(api.get("/metrics").status).isEqualTo(404);
        }
    }
}
