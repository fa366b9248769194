package dev.capstan.node.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster DNS server forwarding to real upstream DNS servers ({@link TestUpstream}, Netty, on 127.0.0.x),
 * asked over real UDP and TCP on loopback by the JDK's resolver and by {@link DnsProbe} (which shows ids and
 * response codes).
 */
class DnsForwardingTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private DnsServer server;

    @BeforeEach
    void start() {
        server = DnsServer.start(new InetSocketAddress("127.0.0.1", 0), "cluster.local");
        open.add(server);
        server.update(List.of(new Service(ObjectMeta.of("shop", "api"), new Service.Spec(Map.of("app", "api"),
                List.of(new Service.Port("http", 80, "http", "TCP")), "127.77.0.5", "ClusterIP"))));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) { // the server first, then the upstreams
            open.get(i).close();
        }
    }

    private TestUpstream upstream(String ip, TestUpstream.Mode mode) {
        TestUpstream u = new TestUpstream(ip, mode);
        open.add(0, u); // closed after the server
        return u;
    }

    /** Forwarding without the cache, so that every query reaches an upstream (the cache: {@link DnsCacheTest}). */
    private static DnsForwarding uncached(Duration timeout) {
        return DnsForwarding.DEFAULTS.withTimeout(timeout).withCacheEntries(0);
    }

    private String jdk(String name, String type) throws NamingException {
        return DnsProbe.jndi(server.address(), name, type, true);
    }

    @Test
    void namesOutsideTheClusterAreForwardedWithTheClientsId() throws Exception {
        TestUpstream up = upstream("127.0.0.2", TestUpstream.Mode.ANSWER);
        assertThat(server.forwardTo(List.of(up.address()), uncached(DnsServer.UPSTREAM_TIMEOUT)))
                .containsExactly(up.address());

        assertThat(jdk(TestUpstream.KNOWN, "A")).isEqualTo("192.0.2.7");
        DnsProbe.Reply udp = DnsProbe.udp(server.address(), TestUpstream.KNOWN, DnsProbe.A, 0x1234);
        assertThat(udp.id()).isEqualTo(0x1234);
        assertThat(udp.rcode()).isZero();
        assertThat(udp.answers()).isEqualTo(1);
        assertThat(udp.lastAddress()).isEqualTo("192.0.2.7");
        assertThat(up.ids).as("the upstream sees ids of the server's own").isNotEmpty();

        assertThat(up.transports).containsOnly("udp");
        DnsProbe.Reply tcp = DnsProbe.tcp(server.address(), TestUpstream.KNOWN, DnsProbe.A, 0xBEEF);
        assertThat(tcp.id()).isEqualTo(0xBEEF);
        assertThat(tcp.rcode()).isZero();
        assertThat(tcp.lastAddress()).isEqualTo("192.0.2.7");
        assertThat(up.transports).as("a TCP client's query goes upstream over TCP").containsOnlyOnce("tcp");

        assertThatThrownBy(() -> jdk("missing.example", "A")).as("the upstream's NXDOMAIN comes through")
                .isInstanceOf(NameNotFoundException.class);
        assertThat(DnsProbe.udp(server.address(), "missing.example", DnsProbe.A, 7).rcode()).isEqualTo(3);
        assertThat(server.forwarded()).isGreaterThanOrEqualTo(5);
        assertThat(server.forwardFailures()).isZero();
    }

    @Test
    void clusterNamesAreAnsweredHereAndNeverForwarded() throws Exception {
        TestUpstream up = upstream("127.0.0.2", TestUpstream.Mode.ANSWER);
        server.forwardTo(List.of(up.address()), DnsServer.UPSTREAM_TIMEOUT);

        assertThat(jdk("api.shop.svc.cluster.local", "A")).isEqualTo("127.77.0.5");
        DnsProbe.Reply aaaa = DnsProbe.udp(server.address(), "api.shop.svc.cluster.local", DnsProbe.AAAA, 9);
        assertThat(aaaa.rcode()).as("NODATA, not NXDOMAIN").isZero();
        assertThat(aaaa.answers()).isZero();
        assertThat(aaaa.authoritative()).isTrue();
        assertThat(DnsProbe.udp(server.address(), "api.shop.svc.cluster.local", DnsProbe.TXT, 10).rcode()).isZero();

        DnsProbe.Reply nx = DnsProbe.udp(server.address(), "nope.shop.svc.cluster.local", DnsProbe.A, 11);
        assertThat(nx.rcode()).isEqualTo(3);
        assertThat(nx.authoritative()).isTrue();
        for (String doubled : List.of("api.shop.svc.cluster.local.cluster.local",
                "api.shop.svc.cluster.local.svc.cluster.local", "api.shop.svc.cluster.local.shop.svc.cluster.local",
                "known.example.shop.svc.cluster.local")) {
            assertThat(DnsProbe.udp(server.address(), doubled, DnsProbe.A, 12).rcode()).as(doubled).isEqualTo(3);
        }

        assertThat(jdk("5.0.77.127.in-addr.arpa", "PTR")).isEqualTo("api.shop.svc.cluster.local.");
        assertThat(up.asked()).as("nothing of the cluster's went upstream").isEmpty();
    }

    @Test
    void theNextUpstreamIsAskedWhenOneFails() throws Exception {
        TestUpstream silent = upstream("127.0.0.3", TestUpstream.Mode.SILENT);
        TestUpstream broken = upstream("127.0.0.4", TestUpstream.Mode.SERVFAIL);
        TestUpstream good = upstream("127.0.0.2", TestUpstream.Mode.ANSWER);
        server.forwardTo(List.of(silent.address(), broken.address(), good.address()),
                uncached(Duration.ofMillis(1500)));

        DnsProbe.Reply r = DnsProbe.udp(server.address(), TestUpstream.KNOWN, DnsProbe.A, 0x4242);
        assertThat(r.rcode()).isZero();
        assertThat(r.id()).isEqualTo(0x4242);
        assertThat(r.lastAddress()).isEqualTo("192.0.2.7");
        assertThat(silent.asked()).containsExactly(TestUpstream.KNOWN);
        assertThat(broken.asked()).containsExactly(TestUpstream.KNOWN);
        assertThat(good.asked()).containsExactly(TestUpstream.KNOWN);

        DnsProbe.Reply tcp = DnsProbe.tcp(server.address(), TestUpstream.KNOWN, DnsProbe.A, 0x4343);
        assertThat(tcp.rcode()).as("the same over TCP").isZero();
        assertThat(tcp.id()).isEqualTo(0x4343);
        assertThat(tcp.lastAddress()).isEqualTo("192.0.2.7");
        assertThat(good.transports).containsExactly("udp", "tcp");
    }

    @Test
    void identicalQueriesInFlightShareOneUpstreamAnswer() throws Exception {
        TestUpstream silent = upstream("127.0.0.3", TestUpstream.Mode.SILENT);
        TestUpstream good = upstream("127.0.0.2", TestUpstream.Mode.ANSWER);
        server.forwardTo(List.of(silent.address(), good.address()), uncached(Duration.ofMillis(1500)));
        try (DatagramSocket one = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket two = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            // all three go out at once; the first waits 1.5 s on the silent upstream, so the others find it in flight
            send(one, DnsProbe.query("missing.example", DnsProbe.A, 0x1111));
            send(two, DnsProbe.query("missing.example", DnsProbe.A, 0x2222));
            send(one, DnsProbe.query("missing.example", DnsProbe.A, 0x3333)); // a retry
            assertThat(List.of(receive(one), receive(one))).containsExactlyInAnyOrder(0x1111, 0x3333);
            assertThat(receive(two)).isEqualTo(0x2222);
        }
        assertThat(silent.asked()).containsExactly("missing.example");
        assertThat(good.asked()).as("one question upstream for three (NXDOMAIN without SOA: uncacheable)")
                .containsExactly("missing.example");
        assertThat(server.stats().shared()).isEqualTo(2);
        assertThat(server.stats().forwarded()).isEqualTo(1);
    }

    private void send(DatagramSocket s, byte[] query) throws Exception {
        s.send(new DatagramPacket(query, query.length, server.address()));
    }

    /** The id of the next answer on {@code s}, which must be NXDOMAIN. */
    private static int receive(DatagramSocket s) throws Exception {
        s.setSoTimeout(10_000);
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        assertThat(buf[3] & 0xF).as("NXDOMAIN").isEqualTo(3);
        return (buf[0] & 0xFF) << 8 | (buf[1] & 0xFF);
    }

    @Test
    void servfailWhenNoUpstreamAnswers() throws Exception {
        TestUpstream silent = upstream("127.0.0.3", TestUpstream.Mode.SILENT);
        TestUpstream silentToo = upstream("127.0.0.4", TestUpstream.Mode.SILENT);
        server.forwardTo(List.of(silent.address(), silentToo.address()), Duration.ofMillis(200));

        DnsProbe.Reply r = DnsProbe.udp(server.address(), TestUpstream.KNOWN, DnsProbe.A, 0x0101);
        assertThat(r.rcode()).as("SERVFAIL").isEqualTo(2);
        assertThat(r.id()).isEqualTo(0x0101);
        assertThat(silent.asked()).containsExactly(TestUpstream.KNOWN);
        assertThat(silentToo.asked()).containsExactly(TestUpstream.KNOWN);
        assertThat(server.forwardFailures()).isEqualTo(1);

        DnsProbe.Reply tcp = DnsProbe.tcp(server.address(), TestUpstream.KNOWN, DnsProbe.A, 0x0202);
        assertThat(tcp.rcode()).isEqualTo(2);
        assertThat(tcp.id()).isEqualTo(0x0202);
    }

    @Test
    void withoutUpstreamsOutsideNamesAreRefused() throws Exception {
        assertThat(server.forwardTo(List.of(), DnsServer.UPSTREAM_TIMEOUT)).isEmpty();
        DnsProbe.Reply r = DnsProbe.udp(server.address(), TestUpstream.KNOWN, DnsProbe.A, 5);
        assertThat(r.rcode()).as("REFUSED").isEqualTo(5);
        assertThat(r.id()).isEqualTo(5);
        assertThat(DnsProbe.udp(server.address(), "api.shop.svc.cluster.local", DnsProbe.A, 6).rcode()).isZero();
        assertThat(DnsProbe.udp(server.address(), "9.9.77.127.in-addr.arpa", DnsProbe.PTR, 6).rcode())
                .as("the reverse name of no cluster IP is no cluster name").isEqualTo(5);
        DnsStats stats = server.stats();
        assertThat(stats.queries()).isEqualTo(3);
        assertThat(stats.cache()).isEqualTo(DnsStats.Cache.NONE);
        assertThat(stats.upstreams()).isEmpty();
    }

    @Test
    void theServerNeverForwardsToItself() throws Exception {
        TestUpstream good = upstream("127.0.0.2", TestUpstream.Mode.ANSWER);
        assertThat(server.forwardTo(List.of(server.address(), good.address()), DnsServer.UPSTREAM_TIMEOUT))
                .containsExactly(good.address());
        assertThat(server.forwardTo(List.of(server.address()), DnsServer.UPSTREAM_TIMEOUT)).isEmpty();
        assertThat(DnsProbe.udp(server.address(), TestUpstream.KNOWN, DnsProbe.A, 1).rcode()).isEqualTo(5);
    }

    @Test
    void digSeesForwardedNamesClusterNamesAndReverseNames() throws Exception {
        Path dig = Stream.of("/usr/bin/dig", "/bin/dig").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElse(null);
        Assumptions.assumeTrue(dig != null, "dig is not installed (apt-get install -y dnsutils): skipped");
        TestUpstream up = upstream("127.0.0.2", TestUpstream.Mode.ANSWER);
        server.forwardTo(List.of(up.address()), DnsServer.UPSTREAM_TIMEOUT);

        InetSocketAddress at = server.address();
        assertThat(DnsProbe.dig(dig, at, TestUpstream.KNOWN, "A", "+short")).isEqualTo("192.0.2.7");
        assertThat(DnsProbe.dig(dig, at, "api.shop.svc.cluster.local", "A", "+short")).isEqualTo("127.77.0.5");
        assertThat(DnsProbe.dig(dig, at, "api.shop.svc.cluster.local", "AAAA", "+noall", "+comments"))
                .contains("status: NOERROR").contains("ANSWER: 0");
        assertThat(DnsProbe.dig(dig, at, "web.shop.svc.cluster.local.cluster.local", "A", "+noall", "+comments"))
                .contains("status: NXDOMAIN");
        assertThat(DnsProbe.dig(dig, at, "-x", "127.77.0.5", "+short")).isEqualTo("api.shop.svc.cluster.local.");
        assertThat(DnsProbe.dig(dig, at, TestUpstream.KNOWN, "A", "+tcp", "+short")).isEqualTo("192.0.2.7");
    }
}
