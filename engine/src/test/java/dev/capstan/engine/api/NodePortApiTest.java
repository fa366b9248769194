package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.engine.controller.ControllerRunner;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.RunnerConfig;
import dev.capstan.engine.controller.builtin.NodePortAllocator;
import dev.capstan.engine.controller.builtin.NodePortRange;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Json;
import dev.capstan.model.Kinds;
import dev.capstan.model.Namespace;
import dev.capstan.model.ObjectMeta;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Node ports of Services written through a real API server (HTTPS) over a real embedded Hazelcast store, with the
 * node port allocator running: allocation, 422 for a taken or out-of-range number, kept over a PUT, freed on delete,
 * and shown as Kubernetes shows it.
 */
class NodePortApiTest {
    private static final String RANGE = "30000-30031"; // small: no static band, allocation starts at 30000
    private static HazelcastStateStore store;
    private static ApiServer api;
    private static ControllerRunner allocator;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        store = TestStores.start();
        api = ApiServer.builder(store).bind("127.0.0.1", 0).adminToken("admin").nodePortRange(RANGE).build().start();
        allocator = new ControllerRunner(store, new NodePortAllocator(store,
                new EventRecorder(store, NodePortAllocator.COMPONENT), NodePortRange.parse(RANGE)),
                RunnerConfig.defaults()).start();
        http = HttpClient.newBuilder().sslContext(trusting(api.tls().orElseThrow().certificatePem())).build();
        store.create(new Namespace(ObjectMeta.of(null, "demo")));
    }

    @AfterAll
    static void stop() {
        allocator.close();
        api.close();
        store.close();
    }

    private static String service(String name, String nodePort) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"type\":\"NodePort\",\"selector\":{\"app\":\"" + name + "\"},\"ports\":[{\"name\":\"http\","
                + "\"port\":80,\"targetPort\":\"http\",\"protocol\":\"TCP\"" + (nodePort == null ? ""
                : ",\"nodePort\":" + nodePort) + "}]}}";
    }

    private static int allocated(String name) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> store.get(Kinds.SERVICE, "demo", name).orElseThrow().spec().ports().get(0).nodePort(),
                p -> p != null);
    }

    @Test
    void allocatesRefusesTakenNumbersKeepsOverAPutAndFreesOnDelete() throws Exception {
        HttpResponse<String> created = send("POST", "/api/v1/namespaces/demo/services", service("web", null),
                null);
        assertThat(created.statusCode()).isEqualTo(201);
        int port = allocated("web");
        assertThat(port).isBetween(30000, 30031);

        // shown as Kubernetes shows it
        HttpResponse<String> table = send("GET", "/api/v1/namespaces/demo/services/web", null,
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        JsonNode t = Json.MAPPER.readTree(table.body());
        int col = 0;
        for (JsonNode c : t.path("columnDefinitions")) {
            if (c.path("name").asText().equals("Port(s)")) {
                break;
            }
            col++;
        }
        assertThat(t.path("rows").get(0).path("cells").get(col).asText()).isEqualTo("80:" + port + "/TCP");
        assertThat(t.path("rows").get(0).path("cells").get(1).asText()).isEqualTo("NodePort");

        // the number web holds cannot be had by another service
        HttpResponse<String> taken = send("POST", "/api/v1/namespaces/demo/services",
                service("api", Integer.toString(port)), null);
        assertThat(taken.statusCode()).isEqualTo(422);
        JsonNode status = Json.MAPPER.readTree(taken.body());
        assertThat(status.path("reason").asText()).isEqualTo("Invalid");
        assertThat(status.path("message").asText()).isEqualTo("Service \"api\" is invalid: spec.ports[0].nodePort: "
                + "Invalid value: " + port + ": provided port is already allocated (to service demo/web)");
        assertThat(store.get(Kinds.SERVICE, "demo", "api")).isEmpty();

        HttpResponse<String> outside = send("POST", "/api/v1/namespaces/demo/services", service("api", "31000"), null);
        assertThat(outside.statusCode()).isEqualTo(422);
        assertThat(Json.MAPPER.readTree(outside.body()).path("message").asText()).endsWith("provided port is not in "
                + "the valid range. The range of valid ports is " + RANGE);

        // a PUT that leaves the number out keeps it; the service keeps its own number
        HttpResponse<String> put = send("PUT", "/api/v1/namespaces/demo/services/web", service("web", null), null);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(put.body()).at("/spec/ports/0/nodePort").asInt()).isEqualTo(port);
        assertThat(send("PUT", "/api/v1/namespaces/demo/services/web", service("web", Integer.toString(port)), null)
                .statusCode()).isEqualTo(200);

        // deleted: the number is free for a service that asks for it
        assertThat(send("DELETE", "/api/v1/namespaces/demo/services/web", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> again = send("POST", "/api/v1/namespaces/demo/services",
                service("api", Integer.toString(port)), null);
        assertThat(again.statusCode()).isEqualTo(201);

        // and the allocator never hands it out while api holds it
        send("POST", "/api/v1/namespaces/demo/services", service("other", null), null);
        assertThat(allocated("other")).isNotEqualTo(port).isBetween(30000, 30031);
    }

    private static HttpResponse<String> send(String method, String path, String body, String accept)
            throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(api.url() + path))
                .header("Authorization", "Bearer admin").header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            req.header("Accept", accept);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(String pem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("api", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
