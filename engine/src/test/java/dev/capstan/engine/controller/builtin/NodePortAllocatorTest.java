package dev.capstan.engine.controller.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.TestStores;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Event;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Service;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link NodePortAllocator} over a real embedded Hazelcast store; each test has a range of its own. */
class NodePortAllocatorTest {
    private static final AtomicInteger N = new AtomicInteger();
    private static HazelcastStateStore store;
    private String ns;

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
        ns = "np" + N.incrementAndGet();
    }

    private NodePortAllocator allocator(String range) {
        return new NodePortAllocator(store, new EventRecorder(store, NodePortAllocator.COMPONENT),
                NodePortRange.parse(range));
    }

    /** A NodePort Service; each argument is a port's node port (null: to be allocated). */
    private Service service(String name, Integer... nodePorts) {
        List<Service.Port> ports = new ArrayList<>();
        for (int i = 0; i < nodePorts.length; i++) {
            ports.add(new Service.Port("p" + i, 80 + i, "p" + i, "TCP", nodePorts[i]));
        }
        return store.create(new Service(ObjectMeta.of(ns, name), new Service.Spec(Map.of("app", name), ports, null,
                "NodePort")));
    }

    private List<Integer> nodePorts(String name) {
        return store.get(Kinds.SERVICE, ns, name).orElseThrow().spec().ports().stream()
                .map(Service.Port::nodePort).toList();
    }

    private List<Event> events(String reason) {
        return store.list(Kinds.EVENT, ns).stream().filter(e -> reason.equals(e.reason())).toList();
    }

    @Test
    void aRangeIsFirstDashLastWithAStaticBandAtItsBottom() {
        NodePortRange def = NodePortRange.defaults();
        assertThat(def.min()).isEqualTo(30000);
        assertThat(def.max()).isEqualTo(32767);
        assertThat(def.size()).isEqualTo(2768);
        assertThat(def.staticBand()).isEqualTo(86); // Kubernetes: min(max(16, 2768/32), 128)
        assertThat(NodePortRange.parse("40000-40003").staticBand()).isZero();
        assertThat(NodePortRange.parse("30000-31023").staticBand()).isEqualTo(32);
        assertThat(def.contains(30000)).isTrue();
        assertThat(def.contains(32768)).isFalse();
        assertThatThrownBy(() -> NodePortRange.parse("32767-30000")).hasMessageContaining("30000-32767");
        assertThatThrownBy(() -> NodePortRange.parse("30000:32767")).hasMessageContaining("looks like 30000-32767");
        assertThatThrownBy(() -> ControlPlaneConfig.defaults().withNodePortRange("x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ControlPlaneConfig.defaults().nodePortRange()).isEqualTo("30000-32767");
    }

    @Test
    void portsWithoutANumberGetDistinctOnesAboveTheStaticBandAndKeepThem() {
        NodePortAllocator a = allocator("41000-41063"); // static band 16: allocation starts at 41016
        service("web", null, null);
        service("api", (Integer) null);
        assertThat(a.reconcile(ns + "/web")).isEqualTo(Result.done());
        a.reconcile(ns + "/api");
        assertThat(nodePorts("web")).containsExactly(41016, 41017);
        assertThat(nodePorts("api")).containsExactly(41018);

        a.reconcile(ns + "/web");
        assertThat(nodePorts("web")).containsExactly(41016, 41017);
        assertThat(a.inUse()).containsEntry(41016, ns + "/web").containsEntry(41018, ns + "/api");
    }

    @Test
    void aWrittenNumberIsHeldAndNeverAllocatedToAnother() {
        NodePortAllocator a = allocator("41100-41102");
        service("fixed", 41100, 41102);
        service("auto", (Integer) null);
        a.resyncKeys();
        a.reconcile(ns + "/auto");
        assertThat(nodePorts("auto")).containsExactly(41101);
        assertThat(nodePorts("fixed")).containsExactly(41100, 41102);
        assertThat(events("NodePortConflict")).isEmpty();
    }

    @Test
    void aDeletedServicesPortsGoBackToTheRange() {
        NodePortAllocator a = allocator("41200-41201");
        CapturedWatches w = CapturedWatches.of(a);
        service("one", (Integer) null);
        service("two", (Integer) null);
        a.reconcile(ns + "/one");
        a.reconcile(ns + "/two");
        int freed = nodePorts("one").get(0);

        Service one = store.get(Kinds.SERVICE, ns, "one").orElseThrow();
        store.delete(Kinds.SERVICE, ns, "one", null);
        w.fire(Kinds.SERVICE, WatchEvent.Type.DELETED, one);
        assertThat(a.inUse()).doesNotContainKey(freed);

        service("three", (Integer) null);
        a.reconcile(ns + "/three");
        assertThat(nodePorts("three")).containsExactly(freed);
    }

    @Test
    void aServiceThatStopsBeingNodePortGivesItsPortsUp() {
        NodePortAllocator a = allocator("41300-41300");
        CapturedWatches w = CapturedWatches.of(a);
        Service created = service("web", (Integer) null);
        assertThat(w.fire(Kinds.SERVICE, WatchEvent.Type.ADDED, created)).containsExactly(ns + "/web");
        a.reconcile(ns + "/web");
        assertThat(nodePorts("web")).containsExactly(41300);

        Service live = store.get(Kinds.SERVICE, ns, "web").orElseThrow();
        assertThat(w.fire(Kinds.SERVICE, WatchEvent.Type.MODIFIED, live)).as("nothing to do").isEmpty();
        Service plain = store.update(live.withSpec(new Service.Spec(live.spec().selector(),
                List.of(new Service.Port("p0", 80, "p0", "TCP")), null, "ClusterIP")));
        assertThat(w.fire(Kinds.SERVICE, WatchEvent.Type.MODIFIED, plain)).containsExactly(ns + "/web");
        a.reconcile(ns + "/web");
        assertThat(a.inUse()).doesNotContainKey(41300);

        service("next", (Integer) null);
        a.reconcile(ns + "/next");
        assertThat(nodePorts("next")).containsExactly(41300);
    }

    @Test
    void aFullRangeWarnsAndTheServiceGetsPortsOnceOneIsFreed() {
        NodePortAllocator a = allocator("41400-41401");
        CapturedWatches w = CapturedWatches.of(a);
        service("one", (Integer) null);
        service("two", null, null); // needs two, only one is left
        a.reconcile(ns + "/one");
        a.reconcile(ns + "/two");
        assertThat(nodePorts("two")).containsExactly(null, null);
        assertThat(a.inUse().keySet().stream().filter(p -> p >= 41400 && p <= 41401)).hasSize(1); // 'two' gave its one back
        List<Event> full = events("NodePortRangeFull");
        assertThat(full).hasSize(1);
        assertThat(full.get(0).message()).contains("41400-41401", ns + "/two");

        Service one = store.get(Kinds.SERVICE, ns, "one").orElseThrow();
        store.delete(Kinds.SERVICE, ns, "one", null);
        assertThat(w.fire(Kinds.SERVICE, WatchEvent.Type.DELETED, one)).contains(ns + "/two");
        a.reconcile(ns + "/two");
        assertThat(nodePorts("two")).containsExactlyInAnyOrder(41400, 41401);
    }

    @Test
    void aRestartedAllocatorKeepsPortsAndNeverGivesOneTwice() {
        NodePortAllocator first = allocator("41500-41503");
        service("a", (Integer) null);
        service("b", (Integer) null);
        first.reconcile(ns + "/a");
        first.reconcile(ns + "/b");
        List<Integer> held = new ArrayList<>(nodePorts("a"));
        held.addAll(nodePorts("b"));

        NodePortAllocator second = allocator("41500-41503");
        service("c", (Integer) null);
        assertThat(second.resyncKeys()).contains(ns + "/c").doesNotContain(ns + "/a", ns + "/b");
        second.reconcile(ns + "/a");
        second.reconcile(ns + "/c");
        assertThat(nodePorts("a")).containsExactly(held.get(0));
        assertThat(nodePorts("c").get(0)).isNotIn(held).isBetween(41500, 41503);
    }

    @Test
    void concurrentCreationsNeverShareAPort() throws Exception {
        NodePortAllocator a = allocator("41600-41699");
        a.resyncKeys();
        int n = 30;
        for (int i = 0; i < n; i++) {
            service("s" + i, null, null);
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Result>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = ns + "/s" + i;
            results.add(pool.submit(() -> {
                go.await();
                return a.reconcile(key);
            }));
        }
        go.countDown();
        for (Future<Result> r : results) {
            assertThat(r.get()).isEqualTo(Result.done());
        }
        pool.shutdown();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < n; i++) {
            ports.addAll(nodePorts("s" + i));
        }
        assertThat(ports).hasSize(2 * n).doesNotContainNull().allMatch(p -> p >= 41600 && p <= 41699);
    }

    @Test
    void aNumberAnotherServiceHoldsGetsAWarningOnTheLaterService() {
        NodePortAllocator a = allocator("41700-41710");
        service("first", 41705);
        service("second", 41705); // straight to the store: the API and Git refuse this
        a.reconcile(ns + "/first");
        a.reconcile(ns + "/second");
        assertThat(a.inUse()).containsEntry(41705, ns + "/first");
        List<Event> conflicts = events("NodePortConflict");
        assertThat(conflicts).hasSize(1);
        assertThat(conflicts.get(0).involvedObject().name()).isEqualTo("second");
        assertThat(conflicts.get(0).message()).contains("41705", ns + "/first");
    }

    @Test
    void reapplyingWithoutTheNumberKeepsTheAllocatedOne() {
        Service live = new Service(ObjectMeta.of("x", "web"), new Service.Spec(Map.of(), List.of(
                new Service.Port("http", 80, "http", "TCP", 31234), new Service.Port("admin", 81, "admin", "TCP",
                        31235)), "127.77.0.9", "NodePort"));
        Service fromGit = new Service(ObjectMeta.of("x", "web"), new Service.Spec(Map.of(), List.of(
                new Service.Port("http", 80, "http", "TCP", null), new Service.Port("admin", 81, "admin", "TCP",
                        30090)), null, "NodePort"));
        assertThat(NodePortClaims.keepAllocated(fromGit, live).spec().ports())
                .extracting(Service.Port::nodePort).containsExactly(31234, 30090); // a written number wins
        Service clusterIp = fromGit.withSpec(new Service.Spec(Map.of(), fromGit.spec().ports(), null, "ClusterIP"));
        assertThat(NodePortClaims.keepAllocated(clusterIp, live)).isSameAs(clusterIp);
        Service renamed = fromGit.withSpec(new Service.Spec(Map.of(), List.of(
                new Service.Port("web", 80, "web", "TCP", null)), null, "NodePort"));
        assertThat(NodePortClaims.keepAllocated(renamed, live).spec().ports().get(0).nodePort()).isNull();
    }

    @Test
    void checkNamesTheHolderOfATakenNumberAndTheRange() {
        Service holder = new Service(ObjectMeta.of("a", "one"), new Service.Spec(Map.of(), List.of(
                new Service.Port("http", 80, "http", "TCP", 30080)), null, "NodePort"));
        Service asks = new Service(ObjectMeta.of("b", "two"), new Service.Spec(Map.of(), List.of(
                new Service.Port("http", 80, "http", "TCP", 30080), new Service.Port("x", 81, "x", "TCP", 8080),
                new Service.Port("y", 82, "y", "TCP", 30090), new Service.Port("z", 83, "z", "TCP", 30090)),
                null, "NodePort"));
        List<NodePortClaims.Problem> problems = NodePortClaims.check(asks, List.of(holder, asks),
                NodePortRange.defaults());
        assertThat(problems).extracting(NodePortClaims.Problem::message).containsExactly(
                "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated (to service a/one)",
                "spec.ports[1].nodePort: Invalid value: 8080: provided port is not in the valid range. "
                        + "The range of valid ports is 30000-32767",
                "spec.ports[3].nodePort: Duplicate value: 30090");
        assertThat(problems.get(0).holder()).isEqualTo("a/one");
        assertThat(NodePortClaims.check(holder, List.of(holder, asks), null))
                .extracting(NodePortClaims.Problem::holder).containsExactly("b/two");
        assertThat(NodePortClaims.check(holder, List.of(holder), NodePortRange.defaults())).isEmpty();
    }
}
