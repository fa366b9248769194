package dev.capstan.node.proxy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ready endpoints behind one service port, replaced as a whole when the Endpoints change. Each new
 * connection asks for {@link #order()}: all endpoints, starting one further than the previous connection did
 * (round-robin), so a connect failure fails over to the next one.
 */
final class Backends {
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<InetSocketAddress> addresses = List.of();

    void set(List<InetSocketAddress> list) {
        addresses = List.copyOf(list);
    }

    List<InetSocketAddress> current() {
        return addresses;
    }

    /** Every endpoint, rotated for round-robin; empty when there is none. */
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
        return out;
    }
}
