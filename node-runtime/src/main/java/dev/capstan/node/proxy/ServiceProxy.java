package dev.capstan.node.proxy;

import dev.capstan.engine.client.ApiClient;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Service;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link ProxyTable} from the API: watches Services and Endpoints in every namespace and, after each
 * change (and every resync period, from a fresh list), serves each TCP port of each Service with a cluster IP
 * on {@code clusterIP:port} (and a node port on {@code 127.0.0.1:nodePort}), forwarding to the ready addresses of
 * its Endpoints. Changes reach the table as
 * soon as the watch delivers them, on one thread, coalesced.
 */
public final class ServiceProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceProxy.class);

    /**
     * The node's address, where node ports are served. Every node of a {@code capstan up} shares this host's
     * loopback, so one listener per process serves the node port of all of them.
     */
    public static final String NODE_ADDRESS = "127.0.0.1";

    private final ApiClient api;
    private final ProxyTable table;
    private final Map<String, Service> services = new ConcurrentHashMap<>();
    /** Keys that watch events changed since the current list began. */
    private final Set<String> servicesTouched = ConcurrentHashMap.newKeySet();
    private final Set<String> endpointsTouched = ConcurrentHashMap.newKeySet();
    private final Map<String, Endpoints> endpoints = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor;
    private final AtomicBoolean syncPending = new AtomicBoolean();
    private final List<Watch> watches = new ArrayList<>();
    private volatile boolean listFailedBefore;
    private final List<java.util.function.Consumer<Collection<Service>>> serviceListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private ServiceProxy(ApiClient api, ProxyTable table) {
        this.api = api;
        this.table = table;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "capstan-proxy-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching and serving; {@link #close()} stops the watches and the table. */
    public static ServiceProxy start(ApiClient api, ProxyTable table, Duration resync) {
        ServiceProxy p = new ServiceProxy(api, table);
        try {
            p.watches.add(api.watch(Kinds.SERVICE, null, null, e -> p.onEvent(p.services, p.servicesTouched, e)));
            p.watches.add(api.watch(Kinds.ENDPOINTS, null, null, e -> p.onEvent(p.endpoints, p.endpointsTouched, e)));
            p.executor.scheduleWithFixedDelay(p::relist, 0, resync.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /**
     * Also hands every Service the proxy knows to {@code listener} after each change (on the proxy's sync thread),
     * starting at once with the current ones: the cluster DNS server is fed this way.
     */
    public void addServiceListener(java.util.function.Consumer<Collection<Service>> listener) {
        serviceListeners.add(listener);
        executor.execute(this::sync);
    }

    public ProxyTable table() {
        return table;
    }

    private <T extends KubeObject> void onEvent(Map<String, T> cache, Set<String> touched, WatchEvent<T> e) {
        touched.add(e.object().key()); // a list taken meanwhile must not undo this event
        if (e.type() == WatchEvent.Type.DELETED) {
            cache.remove(e.object().key());
        } else {
            cache.put(e.object().key(), e.object());
        }
        if (syncPending.compareAndSet(false, true)) {
            executor.execute(this::sync);
        }
    }

    private void relist() {
        try {
            servicesTouched.clear();
            replace(services, api.list(Kinds.SERVICE, null, null), servicesTouched);
            endpointsTouched.clear();
            replace(endpoints, api.list(Kinds.ENDPOINTS, null, null), endpointsTouched);
            listFailedBefore = false;
        } catch (RuntimeException e) {
            if (!listFailedBefore) {
                log.warn("proxy: cannot list services from the API: {}", e.getMessage());
            }
            listFailedBefore = true;
            return;
        }
        sync();
    }

    /**
     * Takes a fresh list, except for objects a watch event changed (added, modified or deleted) while the list was
     * being taken ({@code touched}: the event is at least as new as the list), and where the watch already delivered
     * a newer version of an object.
     */
    private static <T extends KubeObject> void replace(Map<String, T> cache, List<T> objects, Set<String> touched) {
        Map<String, T> fresh = new ConcurrentHashMap<>();
        objects.forEach(o -> fresh.put(o.key(), o));
        cache.keySet().removeIf(k -> !fresh.containsKey(k) && !touched.contains(k));
        fresh.forEach((k, o) -> {
            if (!touched.contains(k)) {
                cache.merge(k, o, (cached, listed) -> version(cached) > version(listed) ? cached : listed);
            }
        });
    }

    private static long version(KubeObject o) {
        try {
            return Long.parseLong(o.metadata().resourceVersion());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private void sync() {
        syncPending.set(false);
        try {
            table.apply(targets(services.values(), endpoints));
        } catch (RuntimeException e) {
            log.warn("proxy: could not apply the service table: {}", e.getMessage());
        }
        List<Service> all = List.copyOf(services.values());
        for (var l : serviceListeners) {
            try {
                l.accept(all);
            } catch (RuntimeException e) {
                log.warn("proxy: a service listener failed: {}", e.getMessage());
            }
        }
    }

    /**
     * Every TCP port of every Service with a cluster IP, with the ready endpoints of the same-named port; and every
     * TCP port with a node port on {@link #NODE_ADDRESS}{@code :nodePort} (with or without a cluster IP).
     */
    static List<ProxyTable.Target> targets(Collection<Service> services, Map<String, Endpoints> endpoints) {
        List<ProxyTable.Target> out = new ArrayList<>();
        for (Service s : services) {
            if (s.spec() == null) {
                continue;
            }
            String ip = s.spec().clusterIP();
            boolean hasIp = ip != null && !ip.isBlank() && !ip.equals("None");
            Endpoints ep = endpoints.get(s.key());
            for (Service.Port sp : s.spec().ports()) {
                if (sp.protocol() != null && !sp.protocol().equalsIgnoreCase("TCP")) {
                    continue;
                }
                List<InetSocketAddress> to = addresses(ep, sp, s.spec().ports().size());
                if (hasIp) {
                    out.add(new ProxyTable.Target(s.key(), ip, sp.port(), to, balance(s)));
                }
                if (sp.nodePort() != null && sp.nodePort() > 0) {
                    out.add(new ProxyTable.Target(s.key(), NODE_ADDRESS, sp.nodePort(), to, balance(s)));
                }
            }
        }
        return out;
    }

    /** The Service's {@link Balance#ANNOTATION}, or null (the proxy's default) when absent or not understood. */
    private static Balance balance(Service s) {
        String a = s.metadata().annotations() == null ? null : s.metadata().annotations().get(Balance.ANNOTATION);
        if (a == null) {
            return null;
        }
        try {
            return Balance.parse(a);
        } catch (IllegalArgumentException e) {
            log.warn("proxy: service {}: {}", s.key(), e.getMessage());
            return null;
        }
    }

    private static List<InetSocketAddress> addresses(Endpoints ep, Service.Port sp, int servicePorts) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (ep == null) {
            return out;
        }
        for (Endpoints.Subset subset : ep.subsets()) {
            if (subset.addresses() == null || subset.ports() == null) {
                continue;
            }
            Endpoints.Port match = null;
            for (Endpoints.Port p : subset.ports()) {
                if (Objects.equals(p.name(), sp.name()) || (servicePorts == 1 && subset.ports().size() == 1)) {
                    match = p;
                    break;
                }
            }
            if (match == null) {
                continue;
            }
            for (Endpoints.Address a : subset.addresses()) {
                out.add(InetSocketAddress.createUnresolved(a.ip(), match.port()));
            }
        }
        out.sort(Comparator.comparing(InetSocketAddress::getHostString).thenComparingInt(InetSocketAddress::getPort));
        return out.stream().map(a -> new InetSocketAddress(a.getHostString(), a.getPort())).toList();
    }

    /** Stops the watches, then unbinds every listener and closes every connection. Idempotent. */
    @Override
    public void close() {
        watches.forEach(w -> {
            try {
                w.close();
            } catch (RuntimeException e) {
                log.debug("closing a watch", e);
            }
        });
        watches.clear();
        executor.shutdownNow();
        table.close();
    }
}
