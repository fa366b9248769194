package dev.capstan.node.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The order upstreams are tried in, as failures and answers come in, on a clock the test moves. */
class UpstreamHealthTest {
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 53);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 53);
    private static final InetSocketAddress C = new InetSocketAddress("10.0.0.3", 5353);
    private static final List<InetSocketAddress> ALL = List.of(A, B, C);

    private final AtomicLong clock = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
    private final UpstreamHealth health = new UpstreamHealth(Duration.ofSeconds(30), Duration.ofSeconds(100),
            clock::get);

    private void advance(long seconds) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void aFailedUpstreamIsTriedAfterTheHealthyOnesUntilItsBackoffEnds() {
        assertThat(health.order(ALL)).containsExactly(A, B, C);
        health.failed(A);
        assertThat(health.order(ALL)).containsExactly(B, C, A);
        advance(29);
        assertThat(health.order(ALL)).containsExactly(B, C, A);
        advance(1);
        assertThat(health.order(ALL)).as("back-off over: its place again").containsExactly(A, B, C);
    }

    @Test
    void theBackoffDoublesUpToItsCapAndAnAnswerEndsIt() {
        health.failed(A);
        health.failed(A); // a query that was in flight when A was marked: no new evidence
        advance(30);
        assertThat(health.order(ALL)).containsExactly(A, B, C);
        health.failed(A); // 60 s now
        advance(59);
        assertThat(health.order(ALL)).containsExactly(B, C, A);
        advance(1);
        health.failed(A); // 100 s (capped, not 120)
        advance(99);
        assertThat(health.order(ALL)).containsExactly(B, C, A);
        advance(1);
        health.failed(A); // still 100
        advance(99);
        assertThat(health.order(ALL)).containsExactly(B, C, A);
        health.answered(A, false);
        assertThat(health.order(ALL)).containsExactly(A, B, C);
        health.failed(A); // back to 30 s
        advance(30);
        assertThat(health.order(ALL)).containsExactly(A, B, C);
    }

    @Test
    void whenAllAreDownAllAreStillTriedTheOneWhoseBackoffEndsFirstFirst() {
        health.failed(A);
        advance(30);
        health.failed(A); // A: 60 s from now
        advance(10);
        health.failed(C); // C: 30 s from now
        advance(1);
        health.failed(B); // B: 30 s from now, a second after C
        assertThat(health.order(ALL)).containsExactly(C, B, A);

        UpstreamHealth other = new UpstreamHealth(Duration.ofSeconds(30), Duration.ofSeconds(100), clock::get);
        other.failed(B);
        other.failed(A);
        assertThat(other.order(ALL)).as("a tie keeps the configured order").containsExactly(C, A, B);
    }

    @Test
    void anErrorAnswerIsCountedButDoesNotDemote() {
        health.sent(B);
        health.answered(B, true);
        health.sent(A);
        health.failed(A);
        assertThat(health.order(ALL)).containsExactly(B, C, A);
        assertThat(health.snapshot(ALL)).containsExactly(
                new DnsStats.Upstream("10.0.0.1:53", 1, 1, 0, true),
                new DnsStats.Upstream("10.0.0.2:53", 1, 0, 1, false),
                new DnsStats.Upstream("10.0.0.3:5353", 0, 0, 0, false));
        assertThat(health.snapshot(List.of(new InetSocketAddress("::1", 5300)))).extracting(DnsStats.Upstream::address)
                .containsExactly("[0:0:0:0:0:0:0:1]:5300");
    }
}
