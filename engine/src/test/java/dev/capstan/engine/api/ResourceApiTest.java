package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.Json;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceApiTest {
    private final EmbeddedApi api = new EmbeddedApi();

    @BeforeEach
    void objects() {
        api.store.create(Fixtures.namespace("shop"));
        api.store.create(Fixtures.node("node-1", true));
        api.store.create(Fixtures.running(Fixtures.pod("shop", "web-1", "node-1", Map.of("app", "web")), "10.0.0.1"));
        api.store.create(Fixtures.pod("shop", "web-2", null, Map.of("app", "web", "tier", "front")));
        api.store.create(Fixtures.pod("other", "db-1", "node-1", Map.of("app", "db")));
        api.store.create(Fixtures.deployment("shop", "web", 2, 1));
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void listsAcrossNamespacesAndInOne() {
        JsonNode all = api.get("/api/v1/pods").json();
        assertThat(all.path("kind").asText()).isEqualTo("PodList");
        assertThat(all.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(all.path("metadata").path("resourceVersion").asText()).isEqualTo(api.store.resourceVersion());
        assertThat(names(all)).containsExactly("db-1", "web-1", "web-2");
        assertThat(names(api.get("/api/v1/namespaces/shop/pods").json())).containsExactly("web-1", "web-2");
        assertThat(names(api.get("/apis/apps/v1/namespaces/shop/deployments").json())).containsExactly("web");
        assertThat(api.get("/apis/apps/v1/deployments").json().path("kind").asText()).isEqualTo("DeploymentList");
    }

    @Test
    void filtersByLabelAndFieldSelectors() {
        assertThat(names(api.get("/api/v1/pods?labelSelector=app%3Dweb,tier!%3Dfront").json()))
                .containsExactly("web-1");
        assertThat(names(api.get("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1").json()))
                .containsExactly("db-1", "web-1");
        assertThat(names(api.get("/api/v1/pods?fieldSelector=spec.nodeName%3D").json())).containsExactly("web-2");
        assertThat(names(api.get("/api/v1/pods?fieldSelector=status.phase%3DRunning,metadata.namespace%3Dshop")
                .json())).containsExactly("web-1");
        assertThat(names(api.get("/api/v1/pods?fieldSelector=metadata.name%3Ddb-1").json())).containsExactly("db-1");
        EmbeddedApi.Response bad = api.get("/api/v1/pods?fieldSelector=spec.image%3Dx");
        assertThat(bad.status).isEqualTo(400);
        assertThat(bad.json().path("message").asText()).isEqualTo("field label not supported: spec.image");
    }

    @Test
    void getsOneObjectOr404() {
        JsonNode pod = api.get("/api/v1/namespaces/shop/pods/web-1").json();
        assertThat(pod.path("kind").asText()).isEqualTo("Pod");
        assertThat(pod.path("status").path("podIP").asText()).isEqualTo("10.0.0.1");
        assertThat(api.get("/api/v1/nodes/node-1").json().path("kind").asText()).isEqualTo("Node");
        EmbeddedApi.Response missing = api.get("/apis/apps/v1/namespaces/shop/deployments/nope");
        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).isEqualTo("deployments.apps \"nope\" not found");
        assertThat(missing.json().path("status").asText()).isEqualTo("Failure");
    }

    @Test
    void createsWithTheUrlsNamespaceAndAnswers201() {
        EmbeddedApi.Response r = api.call("POST", "/api/v1/namespaces/shop/pods", EmbeddedApi.ADMIN, null,
                "{\"metadata\":{\"name\":\"web-3\"},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"x\"}]}}");
        assertThat(r.status).isEqualTo(201);
        assertThat(r.json().path("metadata").path("namespace").asText()).isEqualTo("shop");
        assertThat(r.json().path("metadata").path("uid").asText()).isNotEmpty();
        assertThat(api.store.get(Kinds.POD, "shop", "web-3")).isPresent();
    }

    @Test
    void generatesNamesFromGenerateName() {
        EmbeddedApi.Response r = api.call("POST", "/api/v1/namespaces/shop/events", EmbeddedApi.ADMIN, null,
                "{\"metadata\":{\"generateName\":\"web-1.\"},\"reason\":\"Started\",\"message\":\"hi\"}");
        assertThat(r.status).isEqualTo(201);
        assertThat(r.json().path("metadata").path("name").asText()).matches("web-1\\.[a-z0-9]{5}");
    }

    @Test
    void refusesDuplicatesBadNamesAndMismatchedNamespaces() {
        String body = "{\"metadata\":{\"name\":\"web-1\"}}";
        EmbeddedApi.Response dup = api.call("POST", "/api/v1/namespaces/shop/pods", EmbeddedApi.ADMIN, null, body);
        assertThat(dup.status).isEqualTo(409);
        assertThat(dup.json().path("reason").asText()).isEqualTo("AlreadyExists");
        EmbeddedApi.Response badName = api.call("POST", "/api/v1/namespaces/shop/pods", EmbeddedApi.ADMIN, null,
                "{\"metadata\":{\"name\":\"Web_1\"}}");
        assertThat(badName.status).isEqualTo(422);
        assertThat(badName.json().path("reason").asText()).isEqualTo("Invalid");
        EmbeddedApi.Response otherNs = api.call("POST", "/api/v1/namespaces/shop/pods", EmbeddedApi.ADMIN, null,
                "{\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}");
        assertThat(otherNs.status).isEqualTo(400);
        assertThat(otherNs.json().path("message").asText()).contains("does not match the namespace");
        EmbeddedApi.Response wrongKind = api.call("POST", "/api/v1/namespaces/shop/pods", EmbeddedApi.ADMIN, null,
                "{\"kind\":\"Service\",\"metadata\":{\"name\":\"x\"}}");
        assertThat(wrongKind.status).isEqualTo(400);
        assertThat(wrongKind.json().path("message").asText()).contains("is a Service");
    }

    @Test
    void malformedBodiesAre400WithWhereItWentWrong() {
        EmbeddedApi.Response syntax = api.call("POST", "/api/v1/namespaces/shop/pods", EmbeddedApi.ADMIN, null,
                "{\"metadata\":\n  {\"name\": \"x\",}}");
        assertThat(syntax.status).isEqualTo(400);
        assertThat(syntax.json().path("reason").asText()).isEqualTo("BadRequest");
        assertThat(syntax.json().path("message").asText())
                .startsWith("the request body is not valid JSON: ").contains("line 2, column");
        EmbeddedApi.Response type = api.call("POST", "/apis/apps/v1/namespaces/shop/deployments", EmbeddedApi.ADMIN,
                null, "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":\"three\"}}");
        assertThat(type.status).isEqualTo(400);
        assertThat(type.json().path("message").asText()).contains("spec.replicas: ").contains("line 1, column")
                .doesNotContain("\tat ");
        EmbeddedApi.Response empty = api.call("POST", "/api/v1/namespaces/shop/pods", EmbeddedApi.ADMIN, null, "");
        assertThat(empty.status).isEqualTo(400);
        assertThat(empty.json().path("message").asText()).contains("empty");
    }

    @Test
    void refusesBodiesOverTheLimitWith413() {
        try (EmbeddedApi small = new EmbeddedApi(new InMemoryStateStore(), b -> b.maxBodyBytes(64))) {
            EmbeddedApi.Response r = small.call("POST", "/api/v1/namespaces/shop/pods", EmbeddedApi.ADMIN, null,
                    "{\"metadata\":{\"name\":\"" + "x".repeat(200) + "\"}}");
            assertThat(r.status).isEqualTo(413);
            assertThat(r.json().path("reason").asText()).isEqualTo("RequestEntityTooLarge");
            assertThat(r.json().path("message").asText()).contains("64 bytes");
        }
    }

    @Test
    void updatesAreCompareAndSetOnResourceVersion() {
        JsonNode web = api.get("/apis/apps/v1/namespaces/shop/deployments/web").json();
        String rv = web.path("metadata").path("resourceVersion").asText();
        String changed = Json.write(web).replace("\"replicas\":2", "\"replicas\":5");
        EmbeddedApi.Response ok = api.call("PUT", "/apis/apps/v1/namespaces/shop/deployments/web",
                EmbeddedApi.ADMIN, null, changed);
        assertThat(ok.status).isEqualTo(200);
        assertThat(ok.json().path("spec").path("replicas").asInt()).isEqualTo(5);
        assertThat(ok.json().path("metadata").path("resourceVersion").asText()).isNotEqualTo(rv);
        EmbeddedApi.Response stale = api.call("PUT", "/apis/apps/v1/namespaces/shop/deployments/web",
                EmbeddedApi.ADMIN, null, changed);
        assertThat(stale.status).isEqualTo(409);
        assertThat(stale.json().path("reason").asText()).isEqualTo("Conflict");
        assertThat(stale.json().path("message").asText())
                .startsWith("Operation cannot be fulfilled on deployments.apps \"web\"");
        EmbeddedApi.Response renamed = api.call("PUT", "/apis/apps/v1/namespaces/shop/deployments/other",
                EmbeddedApi.ADMIN, null, changed);
        assertThat(renamed.status).isEqualTo(400);
    }

    @Test
    void plainPutKeepsPodStatusAndStatusPutKeepsSpec() {
        JsonNode pod = api.get("/api/v1/namespaces/shop/pods/web-1").json();
        String put = Json.write(pod).replace("\"podIP\":\"10.0.0.1\"", "\"podIP\":\"6.6.6.6\"")
                .replace("\"restartPolicy\":\"Always\"", "\"restartPolicy\":\"Never\"");
        JsonNode after = api.call("PUT", "/api/v1/namespaces/shop/pods/web-1", EmbeddedApi.ADMIN, null, put).json();
        assertThat(after.path("spec").path("restartPolicy").asText()).isEqualTo("Never");
        assertThat(after.path("status").path("podIP").asText()).isEqualTo("10.0.0.1");

        String status = Json.write(after).replace("\"podIP\":\"10.0.0.1\"", "\"podIP\":\"10.0.0.2\"")
                .replace("\"restartPolicy\":\"Never\"", "\"restartPolicy\":\"OnFailure\"");
        EmbeddedApi.Response r = api.call("PUT", "/api/v1/namespaces/shop/pods/web-1/status", EmbeddedApi.ADMIN,
                null, status);
        assertThat(r.status).isEqualTo(200);
        assertThat(r.json().path("status").path("podIP").asText()).isEqualTo("10.0.0.2");
        assertThat(r.json().path("spec").path("restartPolicy").asText()).isEqualTo("Never");
        Pod stored = api.store.get(Kinds.POD, "shop", "web-1").orElseThrow();
        assertThat(stored.status().podIP()).isEqualTo("10.0.0.2");
    }

    @Test
    void deletesAndAnswersWithTheLastState() {
        EmbeddedApi.Response r = api.call("DELETE", "/api/v1/namespaces/shop/pods/web-2", EmbeddedApi.ADMIN, null,
                null);
        assertThat(r.status).isEqualTo(200);
        assertThat(r.json().path("metadata").path("name").asText()).isEqualTo("web-2");
        assertThat(api.store.get(Kinds.POD, "shop", "web-2")).isEmpty();
        assertThat(api.call("DELETE", "/api/v1/namespaces/shop/pods/web-2", EmbeddedApi.ADMIN, null, null).status)
                .isEqualTo(404);
        EmbeddedApi.Response stale = api.call("DELETE", "/api/v1/namespaces/shop/pods/web-1", EmbeddedApi.ADMIN,
                null, "{\"kind\":\"DeleteOptions\",\"preconditions\":{\"resourceVersion\":\"1\"}}");
        assertThat(stale.status).isEqualTo(409);
    }

    @Test
    void deletingAPodOnANodeMarksItForItsAgentThenRemovesIt() {
        EmbeddedApi.Response marked = api.call("DELETE", "/api/v1/namespaces/shop/pods/web-1", EmbeddedApi.ADMIN,
                null, null);
        assertThat(marked.status).isEqualTo(200);
        Pod stillThere = api.store.get(Kinds.POD, "shop", "web-1").orElseThrow();
        assertThat(stillThere.metadata().deletionTimestamp()).as("the agent stops it first").isNotNull();

        assertThat(api.call("DELETE", "/api/v1/namespaces/shop/pods/web-1", EmbeddedApi.ADMIN, null, null).status)
                .isEqualTo(200);
        assertThat(api.store.get(Kinds.POD, "shop", "web-1")).as("the agent's delete removes it").isEmpty();
    }

    @Test
    void gracePeriodZeroRemovesAPodAtOnce() {
        assertThat(api.call("DELETE", "/api/v1/namespaces/other/pods/db-1", EmbeddedApi.ADMIN, null,
                "{\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0}").status).isEqualTo(200);
        assertThat(api.store.get(Kinds.POD, "other", "db-1")).isEmpty();
    }

    @Test
    void wrongMethodsAre405AndUnknownPaths404() {
        assertThat(api.call("PATCH", "/api/v1/namespaces/shop/pods/web-1", EmbeddedApi.ADMIN, null, "{}").status)
                .isEqualTo(405);
        assertThat(api.call("DELETE", "/api/v1/namespaces/shop/pods", EmbeddedApi.ADMIN, null, null).status)
                .isEqualTo(405);
        assertThat(api.call("POST", "/api/v1/pods", EmbeddedApi.ADMIN, null, "{}").status).isEqualTo(405);
        assertThat(api.call("POST", "/api/v1/namespaces/shop/pods/web-1/log", EmbeddedApi.ADMIN, null, "{}").status)
                .isEqualTo(405);
        assertThat(api.get("/api/v1/namespaces/shop/deployments").status).isEqualTo(404);
        assertThat(api.get("/api/v1/pods/web-1").status).isEqualTo(404);
        assertThat(api.get("/api/v1/namespaces/shop/services/web/status").status).isEqualTo(404);
        assertThat(api.get("/api/v1/namespaces/shop/nodes/node-1").status).isEqualTo(404);
    }

    @Test
    void gitOwnedKindsRefuseWritesFromUsersButNotFromAdminOrControllers() {
        String ns = "{\"metadata\":{\"name\":\"team\"}}";
        EmbeddedApi.Response user = api.call("POST", "/api/v1/namespaces", EmbeddedApi.USER, null, ns);
        assertThat(user.status).isEqualTo(403);
        assertThat(user.json().path("reason").asText()).isEqualTo("Forbidden");
        assertThat(user.json().path("message").asText())
                .isEqualTo("change it in Git: commit to the repository that Capstan follows");
        assertThat(api.call("DELETE", "/apis/apps/v1/namespaces/shop/deployments/web", EmbeddedApi.USER, null, null)
                .status).isEqualTo(403);
        assertThat(api.store.get(Kinds.DEPLOYMENT, "shop", "web")).isPresent();
        assertThat(api.call("GET", "/apis/apps/v1/namespaces/shop/deployments/web", EmbeddedApi.USER, null, null)
                .status).isEqualTo(200);
        assertThat(api.call("DELETE", "/api/v1/namespaces/shop/pods/web-2", EmbeddedApi.USER, null, null).status)
                .isEqualTo(200);
        assertThat(api.call("POST", "/api/v1/namespaces", EmbeddedApi.CONTROLLER, null, ns).status).isEqualTo(201);
        assertThat(api.call("DELETE", "/api/v1/namespaces/team", EmbeddedApi.ADMIN, null, null).status)
                .isEqualTo(200);
    }

    @Test
    void theGitGuardNamesTheConfiguredRepositoryAndTheAuthorizerHookCanRefuseAnything() {
        try (EmbeddedApi custom = new EmbeddedApi(new InMemoryStateStore(), b -> b
                .gitWriteGuard(new GitWriteGuard("git@example:ops/cluster.git services/"))
                .authorizer((who, req) -> who.role() == Identity.Role.USER && req.kind() == Kinds.NODE
                        ? Authorizer.Decision.deny("users may not look at nodes") : Authorizer.Decision.ALLOW))) {
            EmbeddedApi.Response r = custom.call("POST", "/api/v1/namespaces/shop/services", EmbeddedApi.USER, null,
                    "{\"metadata\":{\"name\":\"web\"}}");
            assertThat(r.json().path("message").asText())
                    .isEqualTo("change it in Git: commit to git@example:ops/cluster.git services/");
            EmbeddedApi.Response nodes = custom.call("GET", "/api/v1/nodes", EmbeddedApi.USER, null, null);
            assertThat(nodes.status).isEqualTo(403);
            assertThat(nodes.json().path("message").asText()).isEqualTo("users may not look at nodes");
            assertThat(custom.get("/api/v1/nodes").status).isEqualTo(200);
        }
    }

    static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
        return out;
    }
}
