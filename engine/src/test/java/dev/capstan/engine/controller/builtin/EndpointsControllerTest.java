package dev.capstan.engine.controller.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Condition;
import dev.capstan.model.Container;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.Service;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {
    private static final AtomicInteger N = new AtomicInteger();
    private static HazelcastStateStore store;
    private String ns;
    private EndpointsController controller;

    @BeforeAll
    static void startMember() {
        store = TestStores.start();
    }

    @AfterAll
    static void stopMember() {
        store.close();
    }

    @BeforeEach
    void setUp() {
        ns = "ep" + N.incrementAndGet();
        controller = new EndpointsController(store);
    }

    private Service service(Map<String, String> selector) {
        return store.create(new Service(ObjectMeta.of(ns, "web"), new Service.Spec(selector,
                List.of(new Service.Port("http", 80, "http", "TCP")), "127.77.0.1", null)));
    }

    /** A pod of app=web, Running, with the given readiness, addresses and host port. */
    private Pod pod(String name, boolean ready, String podIp, String hostIp, Integer hostPort) {
        Container c = new Container("main", "img", null, null, null,
                List.of(new Container.ContainerPort("http", 8080, hostPort, "TCP")), null, null);
        Pod.Status s = new Pod.Status(Pod.RUNNING, List.of(Condition.of("Ready", ready, null, null)), null, null,
                hostIp, podIp, null, null);
        return store.create(new Pod(ObjectMeta.of(ns, name).withLabel("app", "web"),
                new PodSpec(List.of(c), "n1", null, null, null, null), s));
    }

    private Endpoints endpoints() {
        return store.get(Kinds.ENDPOINTS, ns, "web").orElseThrow();
    }

    @Test
    void readyPodsAreAddressesAndTheOthersNotReadyAddresses() {
        service(Map.of("app", "web"));
        pod("a", true, "10.0.0.1", "192.168.1.1", null);
        pod("b", false, "10.0.0.2", "192.168.1.1", null);

        controller.reconcile(ns + "/web");

        Endpoints.Subset s = endpoints().subsets().get(0);
        assertThat(s.addresses()).extracting(Endpoints.Address::ip).containsExactly("10.0.0.1");
        assertThat(s.notReadyAddresses()).extracting(Endpoints.Address::ip).containsExactly("10.0.0.2");
        assertThat(s.ports()).containsExactly(new Endpoints.Port("http", 8080, "TCP"));
        assertThat(s.addresses().get(0).targetRef().name()).isEqualTo("a");
    }

    @Test
    void hostPortsAssignedByTheAgentWinAndEachPodGetsItsOwnSubset() {
        service(Map.of("app", "web"));
        pod("a", true, null, "127.0.0.1", 30001);
        pod("b", true, null, "127.0.0.1", 30002);

        controller.reconcile(ns + "/web");

        assertThat(endpoints().subsets()).hasSize(2).allSatisfy(s -> {
            assertThat(s.addresses()).singleElement().satisfies(a -> assertThat(a.ip()).isEqualTo("127.0.0.1"));
        });
        assertThat(endpoints().subsets()).flatExtracting(Endpoints.Subset::ports).extracting(Endpoints.Port::port)
                .containsExactlyInAnyOrder(30001, 30002);
    }

    @Test
    void endedTerminatingUnaddressedAndUnselectedPodsAreLeftOut() {
        service(Map.of("app", "web"));
        Pod ended = pod("ended", true, "10.0.0.1", null, null);
        store.update(Fixtures.withPhase(ended, Pod.SUCCEEDED));
        Pod leaving = pod("leaving", true, "10.0.0.2", null, null);
        store.update(leaving.withMetadata(leaving.metadata().withDeletionTimestamp("2030-01-01T00:00:00Z")));
        pod("nowhere", true, null, null, null);
        Pod other = pod("other", true, "10.0.0.3", null, null);
        store.update(other.withMetadata(other.metadata().withLabel("app", "api")));

        controller.reconcile(ns + "/web");

        assertThat(endpoints().subsets()).isEmpty();
    }

    @Test
    void reconcilingAgainWritesNothingAndADeletedServiceTakesItsEndpoints() {
        service(Map.of("app", "web"));
        pod("a", true, "10.0.0.1", null, null);
        controller.reconcile(ns + "/web");
        String rv = store.resourceVersion();

        controller.reconcile(ns + "/web");
        assertThat(store.resourceVersion()).isEqualTo(rv);

        store.delete(Kinds.SERVICE, ns, "web", null);
        assertThat(controller.reconcile(ns + "/web")).isEqualTo(Result.done());
        assertThat(store.get(Kinds.ENDPOINTS, ns, "web")).isEmpty();
    }

    @Test
    void aServiceWithoutSelectorIsLeftAlone() {
        service(Map.of());
        controller.reconcile(ns + "/web");
        assertThat(store.get(Kinds.ENDPOINTS, ns, "web")).isEmpty();
    }

    @Test
    void podEventsEnqueueTheServicesOfTheirNamespace() {
        CapturedWatches watches = CapturedWatches.of(controller);
        Service svc = service(Map.of("app", "web"));
        Pod p = pod("a", true, "10.0.0.1", null, null);

        assertThat(watches.fire(Kinds.POD, WatchEvent.Type.ADDED, p)).isEmpty();
        assertThat(watches.fire(Kinds.SERVICE, WatchEvent.Type.ADDED, svc)).containsExactly(svc.key());
        assertThat(watches.fire(Kinds.POD, WatchEvent.Type.MODIFIED, p)).containsExactly(svc.key());
        watches.fire(Kinds.SERVICE, WatchEvent.Type.DELETED, svc);
        assertThat(watches.fire(Kinds.POD, WatchEvent.Type.DELETED, p)).isEmpty();
        assertThat(controller.resyncKeys()).as("resync re-learns it from the store").contains(svc.key());
        assertThat(watches.fire(Kinds.POD, WatchEvent.Type.MODIFIED, p)).containsExactly(svc.key());
    }
}
