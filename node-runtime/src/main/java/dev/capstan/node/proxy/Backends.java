package dev.capstan.node.proxy;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ready endpoints behind one service port, replaced as a whole when the Endpoints change, and the connections
 * open to each. Each new connection asks for {@link #order()}: all endpoints, best first, so a connect failure
 * fails over to the next one. Round-robin starts one further than the previous connection did; least-connections
 * puts the endpoints with the fewest open connections first (ties in round-robin order).
 *
 * <p>Draining: when an endpoint is removed, its open connections keep running for the drain timeout (so requests
 * under way finish), then are closed; an endpoint that comes back before then keeps them.
 */
final class Backends {
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<InetSocketAddress> addresses = List.of();
    private volatile Balance balance = Balance.ROUND_ROBIN;
    private final Map<InetSocketAddress, Set<Channel>> open = new ConcurrentHashMap<>();
    private final ServiceCounters counters;

    Backends() {
        this(new ServiceCounters());
    }

    Backends(ServiceCounters counters) {
        this.counters = counters;
    }

    void set(List<InetSocketAddress> list) {
        set(list, balance, null);
    }

    /** New endpoints and balancing; connections to removed endpoints are closed after {@code drain} (null: never). */
    void set(List<InetSocketAddress> list, Balance b, Duration drain) {
        Set<InetSocketAddress> removed = new HashSet<>(addresses);
        addresses = List.copyOf(list);
        balance = b;
        removed.removeAll(addresses);
        if (drain == null) {
            return;
        }
        for (InetSocketAddress gone : removed) {
            for (Channel ch : open.getOrDefault(gone, Set.of())) {
                ch.eventLoop().schedule(() -> {
                    if (ch.isActive() && !addresses.contains(gone)) {
                        counters.drained();
                        ch.close();
                    }
                }, Math.max(0, drain.toMillis()), TimeUnit.MILLISECONDS);
            }
        }
    }

    List<InetSocketAddress> current() {
        return addresses;
    }

    Balance balance() {
        return balance;
    }

    /** Records a connection to {@code endpoint} until it closes (for least-connections and draining). */
    void connected(InetSocketAddress endpoint, Channel ch) {
        Set<Channel> set = open.computeIfAbsent(endpoint, k -> ConcurrentHashMap.newKeySet());
        set.add(ch);
        ch.closeFuture().addListener(f -> set.remove(ch));
    }

    /** Open connections to {@code endpoint} through this listener. */
    int openTo(InetSocketAddress endpoint) {
        Set<Channel> s = open.get(endpoint);
        return s == null ? 0 : s.size();
    }

    /** Every endpoint, best first; empty when there is none. */
    List<InetSocketAddress> order() {
        List<InetSocketAddress> a = addresses;
        if (a.isEmpty()) {
            return a;
        }
        int start = Math.floorMod(next.getAndIncrement(), a.size());
        List<InetSocketAddress> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get((start + i) % a.size()));
        }
        if (balance == Balance.LEAST_CONNECTIONS && out.size() > 1) {
            out.sort(Comparator.comparingInt(this::openTo)); // stable: ties stay in round-robin order
        }
        return out;
    }
}
