package dev.capstan.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.engine.client.ApiClient;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.engine.store.WatchListener;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Service;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ServiceProxyTest {

    private static Service service(String ip, Service.Port... ports) {
        return new Service(ObjectMeta.of("demo", "web"), new Service.Spec(Map.of("app", "web"), List.of(ports), ip,
                null));
    }

    private static Endpoints endpoints(int port, String... ips) {
        List<Endpoints.Address> a = new ArrayList<>();
        for (String ip : ips) {
            a.add(new Endpoints.Address(ip, "node-1", null));
        }
        return new Endpoints(ObjectMeta.of("demo", "web"), List.of(new Endpoints.Subset(a, List.of(),
                List.of(new Endpoints.Port("http", port, "TCP")))));
    }

    @Test
    void eachTcpPortOfAServiceWithAClusterIpBecomesATarget() {
        Service s = service("127.77.0.5", new Service.Port("http", 80, "http", "TCP"),
                new Service.Port("dns", 53, "dns", "UDP"));
        List<Proxier.Target> t = ServiceProxy.targets(List.of(s), Map.of("demo/web", endpoints(41000, "127.0.0.1")));
        assertThat(t).containsExactly(new Proxier.Target("demo/web", "127.77.0.5", 80,
                List.of(new InetSocketAddress("127.0.0.1", 41000))));
    }

    @Test
    void aServiceWithoutAClusterIpOrEndpointsIsHandledQuietly() {
        assertThat(ServiceProxy.targets(List.of(service(null, new Service.Port("http", 80, "http", null))), Map.of()))
                .isEmpty();
        assertThat(ServiceProxy.targets(List.of(service("127.77.0.5", new Service.Port("http", 80, "http", null))),
                Map.of())).singleElement().satisfies(t -> assertThat(t.endpoints()).isEmpty());
    }

    @Test
    void watchedEndpointChangesReachTheListener() throws Exception {
        FakeApi api = new FakeApi();
        int port = Backend.freePort("127.77.201.1");
        try (Backend a = new Backend("a"); Backend b = new Backend("b");
             ServiceProxy proxy = ServiceProxy.start(api, ProxyTable.create(1, Duration.ofSeconds(2)),
                     Duration.ofMinutes(10))) {
            api.put(Kinds.SERVICE, service("127.77.201.1", new Service.Port("http", port, "http", "TCP")));
            api.put(Kinds.ENDPOINTS, endpoints(a.address().getPort(), "127.0.0.1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> "a".equals(greeting(port)));

            api.put(Kinds.ENDPOINTS, endpoints(b.address().getPort(), "127.0.0.1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> "b".equals(greeting(port)));

            api.delete(Kinds.SERVICE, "demo", "web");
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.table().listening().isEmpty());
        }
    }

    @Test
    void aNodePortIsServedOnTheNodeAddressUntilItGoesAway() throws Exception {
        FakeApi api = new FakeApi();
        int port = Backend.freePort("127.77.202.1");
        int nodePort = Backend.freePort(ServiceProxy.NODE_ADDRESS);
        try (Backend a = new Backend("a");
             ServiceProxy proxy = ServiceProxy.start(api, ProxyTable.create(1, Duration.ofSeconds(2)),
                     Duration.ofMinutes(10))) {
            api.put(Kinds.ENDPOINTS, endpoints(a.address().getPort(), "127.0.0.1"));
            api.put(Kinds.SERVICE, service("127.77.202.1", new Service.Port("http", port, "http", "TCP", nodePort)));
            await().atMost(Duration.ofSeconds(10)).until(() -> "a".equals(greeting(ServiceProxy.NODE_ADDRESS, nodePort)));
            assertThat(greeting("127.77.202.1", port)).isEqualTo("a");
            assertThat(proxy.table().listening()).containsEntry("127.0.0.1:" + nodePort, "demo/web");

            api.put(Kinds.SERVICE, service("127.77.202.1", new Service.Port("http", port, "http", "TCP")));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !proxy.table().listening().containsKey("127.0.0.1:" + nodePort));
            assertThat(greeting(ServiceProxy.NODE_ADDRESS, nodePort)).isNull(); // refused: nothing listens
            assertThat(greeting("127.77.202.1", port)).isEqualTo("a");

            api.put(Kinds.SERVICE, service("127.77.202.1", new Service.Port("http", port, "http", "TCP", nodePort)));
            await().atMost(Duration.ofSeconds(10)).until(() -> "a".equals(greeting(ServiceProxy.NODE_ADDRESS, nodePort)));
            api.delete(Kinds.SERVICE, "demo", "web");
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.table().listening().isEmpty());
            assertThat(greeting(ServiceProxy.NODE_ADDRESS, nodePort)).isNull();
        }
    }

    @Test
    void aNodePortIsATargetEvenWithoutAClusterIp() {
        List<Proxier.Target> t = ServiceProxy.targets(List.of(service(null,
                new Service.Port("http", 80, "http", "TCP", 30080))), Map.of("demo/web", endpoints(41000, "127.0.0.1")));
        assertThat(t).containsExactly(new Proxier.Target("demo/web", "127.0.0.1", 30080,
                List.of(new InetSocketAddress("127.0.0.1", 41000))));
    }

    private static String greeting(int port) {
        return greeting("127.77.201.1", port);
    }

    private static String greeting(String host, int port) {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(5000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            return null;
        }
    }

    /** Lists what was put; watch listeners get every put and delete. */
    private static final class FakeApi implements ApiClient {
        private final Map<String, KubeObject> objects = new ConcurrentHashMap<>();
        private final List<Map.Entry<Kind<?>, WatchListener<?>>> listeners = new CopyOnWriteArrayList<>();

        <T extends KubeObject> void put(Kind<T> kind, T o) {
            boolean existed = objects.put(kind.kind() + "/" + o.key(), o) != null;
            fire(kind, new WatchEvent<>(existed ? WatchEvent.Type.MODIFIED : WatchEvent.Type.ADDED, o));
        }

        @SuppressWarnings("unchecked")
        private <T extends KubeObject> void fire(Kind<T> kind, WatchEvent<T> e) {
            for (var l : listeners) {
                if (l.getKey().equals(kind)) {
                    ((WatchListener<T>) l.getValue()).onEvent(e);
                }
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends KubeObject> List<T> list(Kind<T> kind, String namespace, String fieldSelector) {
            List<T> out = new ArrayList<>();
            objects.forEach((k, v) -> {
                if (k.startsWith(kind.kind() + "/")) {
                    out.add((T) v);
                }
            });
            return out;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends KubeObject> Optional<T> get(Kind<T> kind, String namespace, String name) {
            return Optional.ofNullable((T) objects.get(kind.kind() + "/" + namespace + "/" + name));
        }

        @Override
        public <T extends KubeObject> T create(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends KubeObject> T update(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends KubeObject> T updateStatus(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends KubeObject> boolean delete(Kind<T> kind, String namespace, String name) {
            T gone = (T) objects.remove(kind.kind() + "/" + namespace + "/" + name);
            if (gone != null) {
                fire(kind, new WatchEvent<>(WatchEvent.Type.DELETED, gone));
            }
            return gone != null;
        }

        @Override
        public <T extends KubeObject> Watch watch(Kind<T> kind, String namespace, String fieldSelector,
                                                  WatchListener<T> listener) {
            Map.Entry<Kind<?>, WatchListener<?>> e = Map.entry(kind, listener);
            listeners.add(e);
            return () -> listeners.remove(e);
        }

        @Override
        public void close() {
        }
    }
}
