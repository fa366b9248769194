package dev.capstan.node.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dead upstream costs one query its timeout, not every query: real server, real upstreams on loopback, a clock
 * the test moves for the back-off (the per-upstream timeout is real, so the silent upstream's queries wait it out).
 * What each upstream was asked tells where queries went; nothing is timed.
 */
class DnsUpstreamHealthTest {
    private final AtomicLong clock = new AtomicLong(0);
    private DnsServer server;
    private TestUpstream dead;
    private TestUpstream good;

    @BeforeEach
    void start() {
        dead = new TestUpstream("127.0.0.3", TestUpstream.Mode.SILENT);
        good = new TestUpstream("127.0.0.2", TestUpstream.Mode.ANSWER);
        server = DnsServer.start(new InetSocketAddress("127.0.0.1", 0), "cluster.local", clock::get);
    }

    @AfterEach
    void stop() {
        server.close();
        dead.close();
        good.close();
    }

    private void advance(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private int ask(String name) throws Exception {
        return DnsProbe.udp(server.address(), name, DnsProbe.A, 0x3131).rcode();
    }

    @Test
    void aDeadFirstUpstreamIsSkippedUntilItsBackoffEnds() throws Exception {
        server.forwardTo(List.of(dead.address(), good.address()),
                DnsForwarding.DEFAULTS.withTimeout(Duration.ofMillis(1000)).withBackoff(Duration.ofSeconds(30),
                        Duration.ofSeconds(300)));
        assertThat(ask("q1.known.example")).isZero();
        assertThat(dead.asked()).as("the first query pays the timeout").containsExactly("q1.known.example");

        assertThat(ask("q2.known.example")).isZero();
        assertThat(ask("q3.known.example")).isZero();
        assertThat(DnsProbe.tcp(server.address(), "q4.known.example", DnsProbe.A, 4).rcode()).isZero();
        assertThat(dead.asked()).as("later ones go straight to the healthy upstream").hasSize(1);
        assertThat(good.asked()).hasSize(4);
        DnsStats.Upstream deadStats = server.stats().upstreams().get(0);
        assertThat(deadStats.down()).isTrue();
        assertThat(deadStats.failures()).isEqualTo(1);
        assertThat(server.stats().upstreams().get(1)).isEqualTo(new DnsStats.Upstream(
                "127.0.0.2:" + good.address().getPort(), 4, 0, 0, false));

        advance(30);
        assertThat(ask("q5.known.example")).isZero();
        assertThat(dead.asked()).as("retried after its back-off").hasSize(2);
        advance(30);
        assertThat(ask("q6.known.example")).isZero();
        assertThat(dead.asked()).as("the back-off doubled to 60 s").hasSize(2);

        dead.mode(TestUpstream.Mode.ANSWER);
        advance(30);
        assertThat(ask("q7.known.example")).isZero();
        assertThat(ask("q8.known.example")).isZero();
        assertThat(dead.asked()).as("it answers again: first again").endsWith("q7.known.example",
                "q8.known.example");
        assertThat(good.asked()).as("q1 to q6").hasSize(6);
        assertThat(server.stats().upstreams().get(0).down()).isFalse();
    }

    @Test
    void whenEveryUpstreamIsDownTheyAreStillAsked() throws Exception {
        TestUpstream deadToo = new TestUpstream("127.0.0.4", TestUpstream.Mode.SILENT);
        try {
            server.forwardTo(List.of(dead.address(), deadToo.address()),
                    DnsForwarding.DEFAULTS.withTimeout(Duration.ofMillis(600)));
            assertThat(ask("q1.known.example")).as("SERVFAIL").isEqualTo(2);
            assertThat(ask("q2.known.example")).isEqualTo(2);
            assertThat(dead.asked()).containsExactly("q1.known.example", "q2.known.example");
            assertThat(deadToo.asked()).containsExactly("q1.known.example", "q2.known.example");

            dead.mode(TestUpstream.Mode.ANSWER);
            assertThat(ask("q3.known.example")).as("both down, still asked: the first answers").isZero();
            assertThat(dead.asked()).endsWith("q3.known.example");
            assertThat(server.stats().upstreams()).extracting(DnsStats.Upstream::down).containsExactly(false, true);
            assertThat(server.stats().forwardFailures()).isEqualTo(2);
        } finally {
            deadToo.close();
        }
    }
}
