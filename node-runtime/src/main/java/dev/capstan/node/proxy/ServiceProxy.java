package dev.capstan.node.proxy;

import dev.capstan.engine.client.ApiClient;
import dev.capstan.engine.client.WatchCache;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Kinds;
import dev.capstan.model.Service;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link Proxier} from the API: watches Services and Endpoints in every namespace and, after each
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
    private final Proxier table;
    private final List<WatchCache<?>> caches = new ArrayList<>();
    private WatchCache<Service> services;
    private WatchCache<Endpoints> endpoints;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean syncPending = new AtomicBoolean();
    private volatile boolean listFailedBefore;
    private final List<java.util.function.Consumer<Collection<Service>>> serviceListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    private ServiceProxy(ApiClient api, Proxier table) {
        this.api = api;
        this.table = table;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "capstan-proxy-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching and serving; {@link #close()} stops the watches and the table. */
    public static ServiceProxy start(ApiClient api, Proxier table, Duration resync) {
        ServiceProxy p = new ServiceProxy(api, table);
        try {
            p.services = WatchCache.start(api, Kinds.SERVICE, null, e -> p.changed());
            p.caches.add(p.services);
            p.endpoints = WatchCache.start(api, Kinds.ENDPOINTS, null, e -> p.changed());
            p.caches.add(p.endpoints);
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

    public Proxier table() {
        return table;
    }

    /** A change came (a watch event or a list): one sync on the proxy's thread, coalesced. */
    private void changed() {
        if (syncPending.compareAndSet(false, true)) {
            executor.execute(this::sync);
        }
    }

    private void relist() {
        try {
            services.relist();
            endpoints.relist();
            listFailedBefore = false;
            changed();
        } catch (RuntimeException e) {
            if (!listFailedBefore) {
                log.warn("proxy: cannot list services from the API: {}", e.getMessage());
            }
            listFailedBefore = true;
        }
    }

    private void sync() {
        syncPending.set(false);
        try {
            table.apply(targets(services.objects(), endpoints::get));
        } catch (RuntimeException e) {
            log.warn("proxy: could not apply the service table: {}", e.getMessage());
        }
        Collection<Service> all = services.objects();
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
    static List<Proxier.Target> targets(Collection<Service> services, Map<String, Endpoints> endpoints) {
        return targets(services, endpoints::get);
    }

    private static List<Proxier.Target> targets(Collection<Service> services,
                                                   java.util.function.Function<String, Endpoints> endpoints) {
        List<Proxier.Target> out = new ArrayList<>();
        for (Service s : services) {
            if (s.spec() == null) {
                continue;
            }
            String ip = s.spec().clusterIP();
            boolean hasIp = ip != null && !ip.isBlank() && !ip.equals("None");
            Endpoints ep = endpoints.apply(s.key());
            for (Service.Port sp : s.spec().ports()) {
                if (sp.protocol() != null && !sp.protocol().equalsIgnoreCase("TCP")) {
                    continue;
                }
                List<InetSocketAddress> to = addresses(ep, sp, s.spec().ports().size());
                if (hasIp) {
                    out.add(new Proxier.Target(s.key(), ip, sp.port(), to, balance(s)));
                }
                if (sp.nodePort() != null && sp.nodePort() > 0) {
                    out.add(new Proxier.Target(s.key(), NODE_ADDRESS, sp.nodePort(), to, balance(s)));
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
        caches.forEach(c -> {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.debug("closing a watch", e);
            }
        });
        caches.clear();
        executor.shutdownNow();
        table.close();
    }
}
