package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.dsl.CapCompiler;
import dev.capstan.dsl.CompileResult;
import dev.capstan.dsl.SourceFile;
import dev.capstan.engine.admission.Admission;
import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Container;
import dev.capstan.model.Json;
import dev.capstan.model.Kinds;
import dev.capstan.model.Namespace;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Admission policies on pods written through a real API server (HTTPS) over a real embedded Hazelcast store. */
class PodAdmissionTest {
    private static final String POLICIES = """
            policy no-latest {
              applies-to pod
              deny if pod.spec.containers.exists(c, c.image.endsWith(":latest"))
                message "pod ${pod.metadata.name} runs an unpinned image"
            }
            policy no-privileged {
              applies-to pod
              deny if pod.spec.containers.exists(c, has(c.securityContext) && has(c.securityContext.privileged)
                                                     && c.securityContext.privileged == true)
                message "privileged containers are not allowed"
            }
            policy prod-owner {
              applies-to pod
              mode warn
              deny if "env" in ns.labels && ns.labels["env"] == "production" && !("owner" in pod.metadata.labels)
                message "pods in production need an owner label"
            }
            """;
    private static final String AGENT = "agent-token";

    private static HazelcastStateStore store;
    private static ApiServer api;
    private static HttpClient http;
    private static final AtomicReference<Admission> applied = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        store = TestStores.start();
        api = ApiServer.builder(store).bind("127.0.0.1", 0).adminToken("admin")
                .token(AGENT, new Identity("agents", Identity.Role.ADMIN))
                .podAdmission(PodAdmission.policies(applied::get)).build().start();
        http = HttpClient.newBuilder().sslContext(trusting(api.tls().orElseThrow().certificatePem())).build();
        store.create(new Namespace(ObjectMeta.of(null, "prod").withLabels(Map.of("env", "production"))));
        store.create(new Namespace(ObjectMeta.of(null, "dev")));
    }

    @AfterAll
    static void stop() {
        api.close();
        store.close();
    }

    @BeforeEach
    void policies() {
        CompileResult r = new CapCompiler().compile(List.of(new SourceFile("policies/pods.cap", POLICIES)));
        assertThat(r.errors()).isEmpty();
        Admission a = Admission.compile(r);
        assertThat(a.diagnostics()).isEmpty();
        applied.set(a);
    }

    @Test
    void refusesAPodAnEnforcePolicyDeniesWith403() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/dev/pods", pod("web-1", "capstan.local/web:latest",
                Map.of()));

        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode status = Json.MAPPER.readTree(r.body());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
        assertThat(status.path("code").asInt()).isEqualTo(403);
        assertThat(status.path("message").asText()).isEqualTo("pods \"web-1\" is forbidden: denied by admission "
                + "policy: no-latest: pod web-1 runs an unpinned image");
        assertThat(store.get(Kinds.POD, "dev", "web-1")).isEmpty();

        // fields the model does not keep are seen as written; every blocking verdict is listed
        String privileged = pod("web-2", "capstan.local/web:latest", Map.of()).replace("\"image\"",
                "\"securityContext\":{\"privileged\":true},\"image\"");
        HttpResponse<String> both = send("POST", "/api/v1/namespaces/dev/pods", privileged);
        assertThat(both.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(both.body()).path("message").asText()).isEqualTo("pods \"web-2\" is "
                + "forbidden: denied by admission policy: no-latest: pod web-2 runs an unpinned image; "
                + "no-privileged: privileged containers are not allowed");
    }

    @Test
    void createsAnAllowedPodAndRefusesASpecUpdateThatViolates() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/dev/pods", pod("api-1", "capstan.local/api:1.2",
                Map.of()));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().allValues("Warning")).isEmpty();
        assertThat(store.get(Kinds.POD, "dev", "api-1")).isPresent();

        HttpResponse<String> update = send("PUT", "/api/v1/namespaces/dev/pods/api-1",
                pod("api-1", "capstan.local/api:latest", Map.of()));
        assertThat(update.statusCode()).isEqualTo(403);
        assertThat(update.body()).contains("no-latest: pod api-1 runs an unpinned image");
        assertThat(store.get(Kinds.POD, "dev", "api-1").orElseThrow().spec().containers().get(0).image())
                .isEqualTo("capstan.local/api:1.2");
    }

    @Test
    void aWarnPolicyAdmitsWithAWarningHeader() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/prod/pods", pod("shop-1", "capstan.local/shop:3",
                Map.of("app", "shop")));

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().allValues("Warning"))
                .containsExactly("299 - \"prod-owner: pods in production need an owner label\"");
        assertThat(store.get(Kinds.POD, "prod", "shop-1")).isPresent();

        HttpResponse<String> owned = send("POST", "/api/v1/namespaces/prod/pods", pod("shop-2", "capstan.local/shop:3",
                Map.of("owner", "team-shop")));
        assertThat(owned.statusCode()).isEqualTo(201);
        assertThat(owned.headers().allValues("Warning")).isEmpty();
    }

    @Test
    void anAgentsStatusWriteIsNotReviewed() {
        // written straight to the store, as controllers do: not reviewed; then the agent reports its status
        Pod p = Fixtures.pod("dev", "old-1", null, Map.of());
        Pod violating = store.create(p.withSpec(p.spec().withContainers(List.of(new Container("main",
                "capstan.local/old:latest", List.of("sleep", "3600"), null, null, null, null, null)))));
        try (HttpApiClient agent = new HttpApiClient(api.url(), AGENT, api.tls().orElseThrow().certificatePem())) {
            Pod running = agent.updateStatus(Fixtures.running(violating, "10.0.0.9"));
            assertThat(running.status().phase()).isEqualTo(Pod.RUNNING);
        }
        assertThat(store.get(Kinds.POD, "dev", "old-1").orElseThrow().status().podIP()).isEqualTo("10.0.0.9");
    }

    @Test
    void withoutPoliciesEveryPodIsAdmitted() throws Exception {
        applied.set(null);
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/dev/pods", pod("free-1", "capstan.local/x:latest",
                Map.of()));
        assertThat(r.statusCode()).isEqualTo(201);
    }

    private static String pod(String name, String image, Map<String, String> labels) {
        return Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod")
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("metadata", Json.MAPPER.valueToTree(
                        Map.of("name", name, "labels", labels)))
                .set("spec", Json.MAPPER.valueToTree(Map.of("containers",
                        List.of(Map.of("name", "main", "image", image)))))
                .toString();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(api.url() + path)).header("Authorization", "Bearer admin")
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
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
