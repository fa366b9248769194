package dev.capstan.node.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What the forwarder remembers about its upstreams, passively (from the queries it sends, no probes): an upstream
 * that did not answer in time, or could not be sent to, is "down" for a back-off period and asked only after the
 * healthy ones, so later queries do not each wait out its timeout. The back-off doubles on each failure after it
 * ran out (failures of queries already in flight do not double it again), up to a cap; any answer from the
 * upstream ends it. When its back-off is over an upstream takes its configured place again (the next query tests
 * it). When every upstream is down they are still all asked, the one whose back-off ends first first.
 *
 * <p>Threads: safe for any thread (the forwarder's event loop writes, a metrics reader reads {@link #snapshot}).
 */
final class UpstreamHealth {
    private final long backoffNanos;
    private final long maxBackoffNanos;
    private final LongSupplier nanos;
    private final Map<InetSocketAddress, State> states = new HashMap<>();

    UpstreamHealth(Duration backoff, Duration maxBackoff, LongSupplier nanos) {
        this.backoffNanos = backoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.nanos = nanos;
    }

    private static final class State {
        long queries;
        long failures;
        long errorAnswers;
        int streak;        // failures since the last answer, each after the previous back-off ran out
        long downUntil;    // nanos; meaningful while down
        boolean down;

        boolean isDown(long now) {
            return down && now - downUntil < 0;
        }
    }

    private State state(InetSocketAddress a) {
        return states.computeIfAbsent(a, k -> new State());
    }

    /** {@code servers} in the order to try them now: the healthy ones as given, then the down ones. */
    synchronized List<InetSocketAddress> order(List<InetSocketAddress> servers) {
        long now = nanos.getAsLong();
        List<InetSocketAddress> healthy = new ArrayList<>(servers.size());
        List<InetSocketAddress> down = new ArrayList<>(0);
        for (InetSocketAddress s : servers) {
            State st = states.get(s);
            (st != null && st.isDown(now) ? down : healthy).add(s);
        }
        if (down.isEmpty()) {
            return servers;
        }
        down.sort(Comparator.comparingLong(s -> states.get(s).downUntil - now)); // stable: ties keep their order
        healthy.addAll(down);
        return healthy;
    }

    /** A query went to {@code a}. */
    synchronized void sent(InetSocketAddress a) {
        state(a).queries++;
    }

    /** {@code a} did not answer in time, or the query could not be sent or connected: it goes (or stays) down. */
    synchronized void failed(InetSocketAddress a) {
        long now = nanos.getAsLong();
        State st = state(a);
        st.failures++;
        if (st.isDown(now)) {
            return; // a query sent before it was marked down: no new evidence
        }
        long wait = backoffNanos;
        for (int i = 0; i < st.streak && wait < maxBackoffNanos; i++) {
            wait *= 2;
        }
        st.streak++;
        st.down = true;
        st.downUntil = now + Math.min(wait, maxBackoffNanos);
    }

    /** {@code a} answered ({@code error}: SERVFAIL or REFUSED): it is up. */
    synchronized void answered(InetSocketAddress a, boolean error) {
        State st = state(a);
        if (error) {
            st.errorAnswers++;
        }
        st.streak = 0;
        st.down = false;
    }

    /** The counters of {@code servers}, in their order. */
    synchronized List<DnsStats.Upstream> snapshot(List<InetSocketAddress> servers) {
        long now = nanos.getAsLong();
        List<DnsStats.Upstream> out = new ArrayList<>(servers.size());
        for (InetSocketAddress s : servers) {
            State st = states.getOrDefault(s, new State());
            String host = s.getAddress().getHostAddress();
            String address = (s.getAddress() instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":"
                    + s.getPort();
            out.add(new DnsStats.Upstream(address, st.queries,
                    st.failures, st.errorAnswers, st.isDown(now)));
        }
        return out;
    }
}
