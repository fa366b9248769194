package dev.capstan.node.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Service;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real DNS queries over UDP on loopback, asked through the JDK's own DNS resolver (JNDI). */
class DnsServerTest {
    private DnsServer server;

    @BeforeEach
    void start() {
        server = DnsServer.start(new InetSocketAddress("127.0.0.1", 0), "cluster.local");
        server.update(List.of(
                service("shop", "api", "127.77.0.5", new Service.Port("http", 80, "http", "TCP"),
                        new Service.Port("grpc", 9090, "grpc", "TCP")),
                service("ops", "metrics", "127.77.0.6", new Service.Port("web", 9100, "web", "TCP")),
                service("shop", "pending", null, new Service.Port("http", 80, "http", "TCP"))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Service service(String ns, String name, String ip, Service.Port... ports) {
        return new Service(ObjectMeta.of(ns, name), new Service.Spec(Map.of("app", name), List.of(ports), ip,
                "ClusterIP"));
    }

    private String query(String name, String type) throws NamingException {
        return DnsProbe.jndi(server.address(), name, type, false);
    }

    @Test
    void answersTheFullNameAndTheShortFormsWithTheClusterIp() throws Exception {
        assertThat(query("api.shop.svc.cluster.local", "A")).isEqualTo("127.77.0.5");
        assertThat(query("API.Shop.svc.cluster.local.", "A")).isEqualTo("127.77.0.5");
        assertThat(query("api.shop.svc", "A")).isEqualTo("127.77.0.5");
        assertThat(query("api.shop", "A")).isEqualTo("127.77.0.5");
        assertThat(query("metrics.ops.svc.cluster.local", "A")).isEqualTo("127.77.0.6");
        assertThat(server.queries()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void answersSrvForNamedPorts() throws Exception {
        assertThat(query("_http._tcp.api.shop.svc.cluster.local", "SRV"))
                .isEqualTo("0 100 80 api.shop.svc.cluster.local.");
        assertThat(query("_grpc._tcp.api.shop.svc.cluster.local", "SRV"))
                .isEqualTo("0 100 9090 api.shop.svc.cluster.local.");
        assertThatThrownBy(() -> query("_nope._tcp.api.shop.svc.cluster.local", "SRV"))
                .isInstanceOf(NameNotFoundException.class);
    }

    @Test
    void unknownNamesAreNxdomainAndOtherTypesHaveNoAnswer() throws Exception {
        assertThatThrownBy(() -> query("nope.shop.svc.cluster.local", "A"))
                .isInstanceOf(NameNotFoundException.class);
        assertThatThrownBy(() -> query("pending.shop.svc.cluster.local", "A"))
                .as("a service without a cluster IP has no record").isInstanceOf(NameNotFoundException.class);
        assertThatThrownBy(() -> query("api.shop.shop.svc.cluster.local", "A"))
                .as("a search-path expansion that misses").isInstanceOf(NameNotFoundException.class);
        assertThat(query("api.shop.svc.cluster.local", "AAAA")).isNull();
        assertThatThrownBy(() -> query("example.com", "A")).isInstanceOf(NamingException.class);
    }

    @Test
    void anUpdateReplacesTheZone() throws Exception {
        server.update(List.of(service("shop", "api", "127.77.0.7", new Service.Port("http", 80, "http", "TCP"))));
        assertThat(query("api.shop.svc.cluster.local", "A")).isEqualTo("127.77.0.7");
        assertThatThrownBy(() -> query("metrics.ops.svc.cluster.local", "A"))
                .isInstanceOf(NameNotFoundException.class);
    }
}
