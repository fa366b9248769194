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

class ServiceIpAllocatorTest {
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
        ns = "ip" + N.incrementAndGet();
    }

    /** Each test gets its own range so tests sharing the store never see each other's addresses. */
    private ServiceIpAllocator allocator(String cidr) {
        return new ServiceIpAllocator(store, new EventRecorder(store, ServiceIpAllocator.COMPONENT),
                ServiceIpRange.parse(cidr));
    }

    private Service service(String name) {
        return store.create(new Service(ObjectMeta.of(ns, name), new Service.Spec(Map.of("app", name),
                List.of(new Service.Port("http", 80, "http", "TCP")), null, null)));
    }

    private String ip(String name) {
        return store.get(Kinds.SERVICE, ns, name).orElseThrow().spec().clusterIP();
    }

    @Test
    void rangeSkipsNetworkAndBroadcast() {
        ServiceIpRange r = ServiceIpRange.parse("127.77.0.0/16");
        assertThat(r.size()).isEqualTo(65534);
        assertThat(r.address(0)).isEqualTo("127.77.0.1");
        assertThat(r.address(r.size() - 1)).isEqualTo("127.77.255.254");
        assertThat(r.indexOf("127.77.0.0")).isEqualTo(-1);
        assertThat(r.indexOf("127.77.255.255")).isEqualTo(-1);
        assertThat(r.indexOf("127.77.1.0")).isEqualTo(255);
        assertThatThrownBy(() -> ServiceIpRange.parse("127.77.0.0")).hasMessageContaining("127.77.0.0/16");
        assertThatThrownBy(() -> ServiceIpRange.parse("127.300.0.0/16")).hasMessageContaining("not an IPv4");
    }

    @Test
    void servicesWithoutAnAddressGetDistinctOnesAndKeepThem() {
        ServiceIpAllocator a = allocator("127.78.1.0/24");
        service("web");
        service("api");
        assertThat(a.reconcile(ns + "/web")).isEqualTo(Result.done());
        a.reconcile(ns + "/api");
        assertThat(ip("web")).isEqualTo("127.78.1.1");
        assertThat(ip("api")).isEqualTo("127.78.1.2");

        a.reconcile(ns + "/web");
        assertThat(ip("web")).isEqualTo("127.78.1.1");
    }

    @Test
    void aRestartedAllocatorKeepsAddressesAndNeverReusesOne() {
        ServiceIpAllocator first = allocator("127.78.2.0/29");
        service("a");
        service("b");
        first.reconcile(ns + "/a");
        first.reconcile(ns + "/b");
        String a = ip("a");
        String b = ip("b");

        ServiceIpAllocator second = allocator("127.78.2.0/29");
        assertThat(second.resyncKeys()).doesNotContain(ns + "/a", ns + "/b");
        service("c");
        second.reconcile(ns + "/a");
        second.reconcile(ns + "/c");
        assertThat(ip("a")).isEqualTo(a);
        assertThat(ip("b")).isEqualTo(b);
        assertThat(ip("c")).isNotIn(a, b).startsWith("127.78.2.");
    }

    @Test
    void concurrentCreationsNeverShareAnAddress() throws Exception {
        ServiceIpAllocator a = allocator("127.78.3.0/24");
        a.resyncKeys();
        int n = 40;
        for (int i = 0; i < n; i++) {
            service("s" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
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
        Set<String> ips = new HashSet<>();
        for (int i = 0; i < n; i++) {
            ips.add(ip("s" + i));
        }
        assertThat(ips).hasSize(n).doesNotContainNull();
    }

    @Test
    void aDeletedServicesAddressIsReleased() {
        ServiceIpAllocator a = allocator("127.78.4.0/30"); // two usable addresses
        CapturedWatches w = CapturedWatches.of(a);
        Service web = service("web");
        service("api");
        a.reconcile(ns + "/web");
        a.reconcile(ns + "/api");
        String freed = ip("web");
        assertThat(a.inUse()).containsKey(freed);

        Service live = store.get(Kinds.SERVICE, ns, "web").orElseThrow();
        store.delete(Kinds.SERVICE, ns, "web", null);
        w.fire(Kinds.SERVICE, WatchEvent.Type.DELETED, live);
        assertThat(a.inUse()).doesNotContainKey(freed);

        service("next");
        a.reconcile(ns + "/next");
        assertThat(ip("next")).isEqualTo(freed);
        assertThat(web.spec().clusterIP()).isNull();
    }

    @Test
    void aFullRangeGivesAWarningAndTheServiceGetsAnAddressOnceOneIsFreed() {
        ServiceIpAllocator a = allocator("127.78.5.0/30");
        CapturedWatches w = CapturedWatches.of(a);
        service("one");
        service("two");
        service("three");
        a.reconcile(ns + "/one");
        a.reconcile(ns + "/two");
        a.reconcile(ns + "/three");
        assertThat(ip("three")).isNull();
        List<Event> warnings = store.list(Kinds.EVENT, ns).stream()
                .filter(e -> "ClusterIPRangeFull".equals(e.reason())).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).message()).contains("127.78.5.0/30", ns + "/three");

        Service one = store.get(Kinds.SERVICE, ns, "one").orElseThrow();
        store.delete(Kinds.SERVICE, ns, "one", null);
        assertThat(w.fire(Kinds.SERVICE, WatchEvent.Type.DELETED, one)).contains(ns + "/three");
        a.reconcile(ns + "/three");
        assertThat(ip("three")).isEqualTo(one.spec().clusterIP());
    }
}
