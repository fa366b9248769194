package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
    private final EmbeddedApi api = new EmbeddedApi();

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void servesVersionLikeKubernetes() {
        JsonNode v = api.get("/version").json();
        assertThat(v.path("gitVersion").asText()).isEqualTo("v1.32.0-capstan");
        assertThat(v.path("major").asText()).isEqualTo("1");
        assertThat(v.path("minor").asText()).isEqualTo("32");
    }

    @Test
    void answersAggregatedDiscoveryRequestsWithPlainJsonSoKubectlFallsBack() {
        EmbeddedApi.Response r = api.call("GET", "/api", EmbeddedApi.ADMIN,
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json", null);
        assertThat(r.status).isEqualTo(200);
        assertThat(r.headers.get("Content-Type")).isEqualTo("application/json");
        assertThat(r.json().path("kind").asText()).isEqualTo("APIVersions");
        assertThat(r.json().path("versions").get(0).asText()).isEqualTo("v1");
    }

    @Test
    void listsTheNamedGroups() {
        JsonNode groups = api.get("/apis").json();
        assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
        List<String> gv = new ArrayList<>();
        groups.path("groups").forEach(g -> gv.add(g.path("preferredVersion").path("groupVersion").asText()));
        assertThat(gv).containsExactly("apps/v1", "batch/v1", "coordination.k8s.io/v1", "capstan.dev/v1");
        assertThat(api.get("/apis/apps").json().path("kind").asText()).isEqualTo("APIGroup");
    }

    @Test
    void describesCoreResourcesWithSubresourcesVerbsAndShortNames() {
        JsonNode list = api.get("/api/v1").json();
        assertThat(list.path("groupVersion").asText()).isEqualTo("v1");
        JsonNode pods = resource(list, "pods");
        assertThat(pods.path("kind").asText()).isEqualTo("Pod");
        assertThat(pods.path("namespaced").asBoolean()).isTrue();
        assertThat(pods.path("singularName").asText()).isEqualTo("pod");
        assertThat(pods.path("shortNames").get(0).asText()).isEqualTo("po");
        assertThat(texts(pods.path("verbs"))).containsExactly("create", "delete", "get", "list", "update", "watch");
        assertThat(texts(resource(list, "pods/status").path("verbs"))).containsExactly("get", "update");
        assertThat(texts(resource(list, "pods/log").path("verbs"))).containsExactly("get");
        assertThat(resource(list, "nodes").path("namespaced").asBoolean()).isFalse();
        assertThat(resource(list, "nodes/status").path("kind").asText()).isEqualTo("Node");
        assertThat(resource(list, "namespaces").path("shortNames").get(0).asText()).isEqualTo("ns");
    }

    @Test
    void describesNamedGroupResources() {
        assertThat(resource(api.get("/apis/apps/v1").json(), "deployments").path("shortNames").get(0).asText())
                .isEqualTo("deploy");
        assertThat(resource(api.get("/apis/coordination.k8s.io/v1").json(), "leases").path("kind").asText())
                .isEqualTo("Lease");
        assertThat(resource(api.get("/apis/batch/v1").json(), "jobs").path("kind").asText()).isEqualTo("Job");
        assertThat(resource(api.get("/apis/apps/v1").json(), "daemonsets").path("shortNames").get(0).asText())
                .isEqualTo("ds");
        JsonNode revisions = resource(api.get("/apis/capstan.dev/v1").json(), "revisions");
        assertThat(revisions.path("namespaced").asBoolean()).isFalse();
    }

    @Test
    void unknownGroupsAndOpenApiAre404Statuses() {
        for (String path : List.of("/apis/batch/v2", "/apis/policy", "/api/v2", "/openapi/v2", "/openapi/v3", "/",
                "/apis/apps/v1/cronjobs", "/nonsense")) {
            EmbeddedApi.Response r = api.get(path);
            assertThat(r.status).as(path).isEqualTo(404);
            assertThat(r.json().path("kind").asText()).isEqualTo("Status");
            assertThat(r.json().path("reason").asText()).isEqualTo("NotFound");
        }
    }

    @Test
    void healthNeedsNoToken() {
        for (String path : List.of("/healthz", "/livez", "/readyz")) {
            EmbeddedApi.Response r = api.call("GET", path, null, null, null);
            assertThat(r.status).isEqualTo(200);
            assertThat(r.body.toString()).isEqualTo("ok");
        }
    }

    @Test
    void everythingElseNeedsAValidToken() {
        for (String token : new String[] {null, "wrong"}) {
            EmbeddedApi.Response r = api.call("GET", "/api", token, null, null);
            assertThat(r.status).isEqualTo(401);
            assertThat(r.json().path("reason").asText()).isEqualTo("Unauthorized");
            assertThat(r.json().path("code").asInt()).isEqualTo(401);
        }
    }

    @Test
    void discoveryIsReadOnly() {
        EmbeddedApi.Response r = api.call("POST", "/api/v1", EmbeddedApi.ADMIN, null, "{}");
        assertThat(r.status).isEqualTo(405);
        assertThat(r.json().path("reason").asText()).isEqualTo("MethodNotAllowed");
    }

    private static JsonNode resource(JsonNode list, String name) {
        for (JsonNode r : list.path("resources")) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no resource " + name + " in " + list);
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }
}
