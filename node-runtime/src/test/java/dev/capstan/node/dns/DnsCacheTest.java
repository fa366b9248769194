package dev.capstan.node.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache of forwarded answers, through a real server and a real upstream ({@link TestUpstream}) on loopback,
 * with a clock the test moves (no sleeping): what the upstream is asked says what was served from the cache.
 */
class DnsCacheTest {
    private static final int SOA = 6;
    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private DnsServer server;
    private TestUpstream up;

    @BeforeEach
    void start() {
        up = new TestUpstream("127.0.0.2", TestUpstream.Mode.ANSWER);
        server = DnsServer.start(new InetSocketAddress("127.0.0.1", 0), "cluster.local", clock::get);
        server.forwardTo(List.of(up.address()), DnsForwarding.DEFAULTS);
    }

    @AfterEach
    void stop() {
        server.close();
        up.close();
    }

    private void advance(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private DnsProbe.Reply ask(String name, int type) throws Exception {
        return DnsProbe.udp(server.address(), name, type, 0x2222);
    }

    @Test
    void aSecondIdenticalQueryIsAnsweredFromTheCacheWithTheClientsIdAndSpelling() throws Exception {
        DnsProbe.Reply first = DnsProbe.udp(server.address(), TestUpstream.KNOWN, DnsProbe.A, 0x0101);
        assertThat(first.ttl(DnsProbe.A)).isEqualTo(TestUpstream.KNOWN_TTL);
        assertThat(up.asked()).hasSize(1);

        advance(10);
        DnsProbe.Reply again = DnsProbe.udp(server.address(), "KNOWN.Example", DnsProbe.A, 0x0202);
        assertThat(up.asked()).as("served from the cache").hasSize(1);
        assertThat(again.id()).isEqualTo(0x0202);
        assertThat(again.rcode()).isZero();
        assertThat(again.lastAddress()).isEqualTo("192.0.2.7");
        assertThat(again.question()).as("the client's spelling").isEqualTo("KNOWN.Example");
        assertThat(again.ttl(DnsProbe.A)).as("less the time in the cache").isEqualTo(TestUpstream.KNOWN_TTL - 10);

        DnsProbe.Reply tcp = DnsProbe.tcp(server.address(), TestUpstream.KNOWN, DnsProbe.A, 0x0303);
        assertThat(tcp.id()).isEqualTo(0x0303);
        assertThat(tcp.ttl(DnsProbe.A)).isEqualTo(TestUpstream.KNOWN_TTL - 10);
        assertThat(up.transports).as("a TCP client is served from the cache too").containsExactly("udp");

        DnsStats.Cache stats = server.stats().cache();
        assertThat(stats.hits()).isEqualTo(2);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.entries()).isEqualTo(1);
        assertThat(stats.bytes()).isPositive();
        assertThat(server.stats().forwarded()).isEqualTo(1);
        assertThat(server.stats().queries()).isEqualTo(3);
    }

    @Test
    void anExpiredAnswerIsAskedAgain() throws Exception {
        ask(TestUpstream.KNOWN, DnsProbe.A);
        advance(TestUpstream.KNOWN_TTL - 1);
        assertThat(ask(TestUpstream.KNOWN, DnsProbe.A).ttl(DnsProbe.A)).isEqualTo(1);
        assertThat(up.asked()).hasSize(1);

        advance(1);
        assertThat(ask(TestUpstream.KNOWN, DnsProbe.A).ttl(DnsProbe.A)).isEqualTo(TestUpstream.KNOWN_TTL);
        assertThat(up.asked()).as("expired: asked again").hasSize(2);
        assertThat(ask(TestUpstream.KNOWN, DnsProbe.A).ttl(DnsProbe.A)).isEqualTo(TestUpstream.KNOWN_TTL);
        assertThat(up.asked()).as("and kept again").hasSize(2);
    }

    @Test
    void longTtlsAreKeptAtMostTheCap() throws Exception {
        assertThat(ask(TestUpstream.LONG, DnsProbe.A).ttl(DnsProbe.A)).isEqualTo(86_400);
        advance(DnsForwarding.DEFAULTS.maxTtl().toSeconds() - 1);
        assertThat(ask(TestUpstream.LONG, DnsProbe.A).ttl(DnsProbe.A)).as("never more than what is left").isEqualTo(1);
        advance(1);
        ask(TestUpstream.LONG, DnsProbe.A);
        assertThat(up.asked()).hasSize(2);
    }

    @Test
    void negativeAnswersWithAnSoaAreKeptForTheSmallerOfItsTtlAndMinimum() throws Exception {
        DnsProbe.Reply nx = ask(TestUpstream.GONE, DnsProbe.A);
        assertThat(nx.rcode()).isEqualTo(3);
        advance(29);
        DnsProbe.Reply cached = ask(TestUpstream.GONE, DnsProbe.A);
        assertThat(cached.rcode()).isEqualTo(3);
        assertThat(cached.ttl(SOA)).as("SOA MINIMUM 30, less 29 s").isEqualTo(1);
        assertThat(up.asked()).hasSize(1);
        advance(1);
        ask(TestUpstream.GONE, DnsProbe.A);
        assertThat(up.asked()).as("30 s: asked again").hasSize(2);

        DnsProbe.Reply nodata = ask(TestUpstream.KNOWN, DnsProbe.AAAA);
        assertThat(nodata.rcode()).isZero();
        assertThat(nodata.answers()).isZero();
        advance(19);
        assertThat(ask(TestUpstream.KNOWN, DnsProbe.AAAA).ttl(SOA)).as("SOA TTL 20 < MINIMUM 120").isEqualTo(1);
        assertThat(up.asked()).hasSize(3);
        advance(1);
        ask(TestUpstream.KNOWN, DnsProbe.AAAA);
        assertThat(up.asked()).hasSize(4);
    }

    @Test
    void negativeAnswersWithoutSoaServfailAndTruncatedAnswersAreNotKept() throws Exception {
        assertThat(ask("missing.example", DnsProbe.A).rcode()).isEqualTo(3);
        assertThat(ask("missing.example", DnsProbe.A).rcode()).isEqualTo(3);
        assertThat(ask(TestUpstream.TRUNCATED, DnsProbe.A).truncated()).isTrue();
        assertThat(ask(TestUpstream.TRUNCATED, DnsProbe.A).truncated()).isTrue();
        up.mode(TestUpstream.Mode.SERVFAIL);
        assertThat(ask(TestUpstream.KNOWN, DnsProbe.A).rcode()).isEqualTo(2);
        up.mode(TestUpstream.Mode.ANSWER);
        assertThat(ask(TestUpstream.KNOWN, DnsProbe.A).rcode()).isZero();
        assertThat(up.asked()).as("every one went upstream").containsExactly("missing.example", "missing.example",
                TestUpstream.TRUNCATED, TestUpstream.TRUNCATED, TestUpstream.KNOWN, TestUpstream.KNOWN);
        assertThat(server.stats().cache().entries()).isEqualTo(1);
        assertThat(server.stats().cache().hits()).isZero();
    }

    @Test
    void theCacheIsBoundedLeastRecentlyUsedFirstOut() throws Exception {
        server.forwardTo(List.of(up.address()), DnsForwarding.DEFAULTS.withCacheEntries(2));
        for (String name : List.of("a.known.example", "b.known.example", "a.known.example", "c.known.example")) {
            assertThat(ask(name, DnsProbe.A).rcode()).isZero();
        }
        assertThat(up.asked()).containsExactly("a.known.example", "b.known.example", "c.known.example");
        ask("a.known.example", DnsProbe.A);
        ask("b.known.example", DnsProbe.A);
        assertThat(up.asked()).as("b was the least recently used").hasSize(4).endsWith("b.known.example");
        DnsStats.Cache stats = server.stats().cache();
        assertThat(stats.entries()).isEqualTo(2);
        assertThat(stats.evictions()).isEqualTo(2);
    }

    @Test
    void theDnssecOkAndCheckingDisabledBitsAreKeptApartAndOptIsTheServers() throws Exception {
        ask(TestUpstream.KNOWN, DnsProbe.A);
        DnsProbe.Reply edns = DnsProbe.udp(server.address(),
                DnsProbe.query(TestUpstream.KNOWN, DnsProbe.A, 7, 4096, false, false));
        assertThat(up.asked()).as("EDNS without DO: the same answer").hasSize(1);
        List<DnsWire.Rr> records = edns.records();
        assertThat(records).extracting(DnsWire.Rr::type).containsExactly(DnsProbe.A, DnsWire.TYPE_OPT);
        assertThat(records.get(1).rclass()).isEqualTo(DnsCache.UDP_SIZE);
        assertThat(ask(TestUpstream.KNOWN, DnsProbe.A).records()).as("no OPT for a client without")
                .extracting(DnsWire.Rr::type).containsExactly(DnsProbe.A);

        DnsProbe.udp(server.address(), DnsProbe.query(TestUpstream.KNOWN, DnsProbe.A, 8, 4096, true, false));
        DnsProbe.udp(server.address(), DnsProbe.query(TestUpstream.KNOWN, DnsProbe.A, 9, 4096, false, true));
        assertThat(up.asked()).as("DO and CD answers are other answers").hasSize(3);
        DnsProbe.udp(server.address(), DnsProbe.query(TestUpstream.KNOWN, DnsProbe.A, 10, 4096, true, false));
        assertThat(up.asked()).hasSize(3);
    }

    @Test
    void digIsServedFromTheCache() throws Exception {
        Path dig = Stream.of("/usr/bin/dig", "/bin/dig").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElse(null);
        Assumptions.assumeTrue(dig != null, "dig is not installed (apt-get install -y dnsutils): skipped");
        String first = DnsProbe.dig(dig, server.address(), TestUpstream.KNOWN, "A");
        advance(5);
        String second = DnsProbe.dig(dig, server.address(), TestUpstream.KNOWN, "A");
        assertThat(up.asked()).hasSize(1);
        assertThat(first).contains("status: NOERROR").contains("60\tIN\tA\t192.0.2.7");
        assertThat(second).contains("status: NOERROR").contains("55\tIN\tA\t192.0.2.7").doesNotContainIgnoringCase(
                "warning").contains("udp: " + DnsCache.UDP_SIZE);
    }

}
