package dev.capstan.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.Condition;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Event;
import dev.capstan.model.Kinds;
import dev.capstan.model.Lease;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.ReplicaSet;
import dev.capstan.model.Revision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TablesTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @ParameterizedTest(name = "{0}s -> {1}")
    @CsvSource({"0,0s", "5,5s", "119,119s", "120,2m", "192,3m12s", "599,9m59s", "600,10m", "10799,179m",
        "10800,3h", "11100,3h5m", "28800,8h", "172799,47h", "172800,2d", "180000,2d2h", "691200,8d",
        "63072000,2y", "66000000,2y33d", "252460800,8y", "-1,0s", "-5,<invalid>"})
    void printsAgesAsKubectlDoes(long seconds, String expected) {
        assertThat(Ages.human(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @Test
    void unknownTimestampsPrintAsUnknown() {
        assertThat(Ages.since(null, NOW)).isEqualTo("<unknown>");
        assertThat(Ages.since("yesterday", NOW)).isEqualTo("<unknown>");
        assertThat(Ages.since("2025-06-01T11:59:55Z", NOW)).isEqualTo("5s");
    }

    @Test
    void picksTheTableOnlyWhenAskedFirst() {
        assertThat(Tables.requested(EmbeddedApi.TABLE)).isEqualTo("meta.k8s.io/v1");
        assertThat(Tables.requested("application/json;as=Table;v=v1beta1;g=meta.k8s.io")).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(Tables.requested("application/json")).isNull();
        assertThat(Tables.requested(null)).isNull();
        assertThat(Tables.requested("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,"
                + "application/json;as=Table;v=v1;g=meta.k8s.io")).isEqualTo("meta.k8s.io/v1");
        assertThat(Tables.requested("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io")).isNull();
    }

    @Test
    void podRowsShowReadinessStatusRestartsAndWideColumns() {
        Pod crashing = Fixtures.pod("shop", "web-1", "node-1", Map.of()).withStatus(new Pod.Status(Pod.RUNNING,
                List.of(), null, null, null, "10.0.0.7", null, List.of(new Pod.ContainerStatus("main", false, 3,
                Pod.State.waiting("CrashLoopBackOff", "back-off"), Pod.State.terminated(1, "Error", null, null,
                "2025-06-01T11:55:00Z"), "img", null, false))));
        assertThat(PrintColumns.cells(Kinds.POD, crashing, NOW))
                .containsExactly("web-1", "0/1", "CrashLoopBackOff", "3 (5m ago)", "<unknown>", "10.0.0.7", "node-1");
        Pod pending = Fixtures.pod("shop", "web-2", null, Map.of());
        assertThat(PrintColumns.cells(Kinds.POD, pending, NOW).subList(1, 4)).containsExactly("0/1", "Pending", "0");
        Pod running = Fixtures.running(pending, "10.0.0.8");
        assertThat(PrintColumns.cells(Kinds.POD, running, NOW).subList(1, 3)).containsExactly("1/1", "Running");
        Pod leaving = running.withMetadata(running.metadata().withDeletionTimestamp("2025-06-01T11:59:00Z"));
        assertThat(PrintColumns.cells(Kinds.POD, leaving, NOW).get(2)).isEqualTo("Terminating");
    }

    @Test
    void nodeRowsShowStatusRolesAndVersion() {
        Node n = Fixtures.node("node-1", false);
        n = n.withMetadata(n.metadata().withCreationTimestamp("2025-05-30T12:00:00Z")).withSpec(new Node.Spec(true, null));
        assertThat(PrintColumns.cells(Kinds.NODE, n, NOW).subList(0, 5))
                .containsExactly("node-1", "NotReady,SchedulingDisabled", "worker", "2d", "v1.32.0-capstan");
    }

    @Test
    void otherKindsPrintTheirKubectlColumns() {
        assertThat(PrintColumns.cells(Kinds.DEPLOYMENT, Fixtures.deployment("shop", "web", 3, 2), NOW).subList(0, 4))
                .containsExactly("web", "2/3", 3, 2);
        assertThat(PrintColumns.cells(Kinds.SERVICE, Fixtures.service("shop", "web", "127.77.0.1", 80), NOW))
                .containsExactly("web", "ClusterIP", "127.77.0.1", "<none>", "80/TCP", "<unknown>", "app=web");
        dev.capstan.model.Service np = new dev.capstan.model.Service(ObjectMeta.of("shop", "np"),
                new dev.capstan.model.Service.Spec(Map.of("app", "np"), List.of(
                        new dev.capstan.model.Service.Port("http", 80, "http", "TCP", 30080),
                        new dev.capstan.model.Service.Port("admin", 9090, "admin", "TCP")), "127.77.0.2", "NodePort"));
        assertThat(PrintColumns.cells(Kinds.SERVICE, np, NOW).subList(0, 5))
                .containsExactly("np", "NodePort", "127.77.0.2", "<none>", "80:30080/TCP,9090/TCP");
        ReplicaSet rs = new ReplicaSet(ObjectMeta.of("shop", "web-abc"), new ReplicaSet.Spec(3, null, null),
                new ReplicaSet.Status(2, 1, 1, 1L));
        assertThat(PrintColumns.cells(Kinds.REPLICA_SET, rs, NOW).subList(0, 4)).containsExactly("web-abc", 3, 2, 1);
        Revision rev = new Revision(ObjectMeta.of(null, "a1b2c3d"), new Revision.Spec("a1b2c3d4e5f6a7b8", "ann",
                "Scale web to 3\n\nbecause", null, null, null, null), new Revision.Status(Revision.APPLIED, null, 4, null));
        assertThat(PrintColumns.cells(Kinds.REVISION, rev, NOW).subList(0, 4))
                .containsExactly("a1b2c3d", "Applied", "a1b2c3d4e5f6", "Scale web to 3");
        Event ev = new Event(null, null, ObjectMeta.of("shop", "web-1.1"), new Event.ObjectReference("Pod", "shop",
                "web-1", null, "v1"), "BackOff", "Back-off restarting ", "Warning", 4, null, "2025-06-01T11:59:30Z",
                new Event.Source("node-agent", "node-1"));
        assertThat(PrintColumns.cells(Kinds.EVENT, ev, NOW).subList(0, 5))
                .containsExactly("30s", "Warning", "BackOff", "pod/web-1", "Back-off restarting");
        Lease lease = new Lease(ObjectMeta.of("capstan-node-lease", "node-1"), new Lease.Spec("node-1", 40, null, null));
        assertThat(PrintColumns.cells(Kinds.LEASE, lease, NOW).subList(0, 2)).containsExactly("node-1", "node-1");
        List<Endpoints.Address> addrs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            addrs.add(new Endpoints.Address("10.0.0." + i, null, null));
        }
        Endpoints ep = new Endpoints(ObjectMeta.of("shop", "web"), List.of(new Endpoints.Subset(addrs, null,
                List.of(new Endpoints.Port("http", 8080, "TCP")))));
        assertThat(PrintColumns.cells(Kinds.ENDPOINTS, ep, NOW).get(1))
                .isEqualTo("10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 1 more...");
        assertThat(PrintColumns.cells(Kinds.ENDPOINTS, new Endpoints(ObjectMeta.of("shop", "x"), null), NOW).get(1))
                .isEqualTo("<none>");
        assertThat(PrintColumns.cells(Kinds.NAMESPACE, Fixtures.namespace("shop"), NOW).subList(0, 2))
                .containsExactly("shop", "Active");
        assertThat(Condition.of("Ready", true, null, null).isTrue()).isTrue();
    }

    @Test
    void servesTablesWithColumnDefinitionsAndPartialObjectMetadataRows() {
        try (EmbeddedApi api = new EmbeddedApi()) {
            api.store.create(Fixtures.running(Fixtures.pod("shop", "web-1", "node-1", Map.of("app", "web")), "10.0.0.1"));
            JsonNode t = api.call("GET", "/api/v1/namespaces/shop/pods", EmbeddedApi.ADMIN, EmbeddedApi.TABLE, null)
                    .json();
            assertThat(t.path("kind").asText()).isEqualTo("Table");
            assertThat(t.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
            assertThat(t.path("metadata").path("resourceVersion").asText()).isEqualTo(api.store.resourceVersion());
            List<String> columns = new ArrayList<>();
            List<Integer> priorities = new ArrayList<>();
            t.path("columnDefinitions").forEach(c -> {
                columns.add(c.path("name").asText());
                priorities.add(c.path("priority").asInt());
            });
            assertThat(columns).containsExactly("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node");
            assertThat(priorities).containsExactly(0, 0, 0, 0, 0, 1, 1);
            JsonNode row = t.path("rows").get(0);
            assertThat(row.path("cells").get(0).asText()).isEqualTo("web-1");
            assertThat(row.path("cells").get(2).asText()).isEqualTo("Running");
            assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
            assertThat(row.path("object").path("metadata").path("namespace").asText()).isEqualTo("shop");
            assertThat(row.path("object").has("spec")).isFalse();

            JsonNode full = api.call("GET", "/api/v1/namespaces/shop/pods/web-1?includeObject=Object",
                    EmbeddedApi.ADMIN, EmbeddedApi.TABLE, null).json();
            assertThat(full.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("Pod");
            JsonNode none = api.call("GET", "/api/v1/pods?includeObject=None", EmbeddedApi.ADMIN, EmbeddedApi.TABLE,
                    null).json();
            assertThat(none.path("rows").get(0).has("object")).isFalse();
            assertThat(api.call("GET", "/api/v1/pods?includeObject=All", EmbeddedApi.ADMIN, EmbeddedApi.TABLE, null)
                    .status).isEqualTo(400);
        }
    }
}
