package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Kinds;
import dev.capstan.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives every Service without {@code spec.clusterIP} a virtual address from a range (default
 * {@value ServiceIpRange#DEFAULT}) and keeps it for the Service's lifetime.
 *
 * <p>Addresses in use are remembered in memory, rebuilt from the store before the first allocation (so a
 * restarted controller never hands out an address a Service already has) and kept current from the Service
 * watch. An address is reserved in memory before it is written, and written compare-and-set on the
 * Service's resourceVersion, so two Services created together never share an address. A deleted Service's
 * address goes back to the range; allocation continues after the last address handed out, so a freed
 * address is reused as late as possible. When the range is full the Service gets a {@code ClusterIPRangeFull}
 * warning event and is tried again whenever an address is freed. Key: the Service's key.
 */
public final class ServiceIpAllocator implements Controller {
    public static final String COMPONENT = "service-ip-allocator";

    private final StateStore store;
    private final EventRecorder events;
    private final ServiceIpRange range;
    /** address → key of the Service holding it. */
    private final Map<String, String> inUse = new ConcurrentHashMap<>();
    /** Services waiting for an address because the range was full. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;
    private int next;

    public ServiceIpAllocator(StateStore store, EventRecorder events, ServiceIpRange range) {
        this.store = store;
        this.events = events;
        this.range = range;
    }

    @Override
    public String name() {
        return "service-ip";
    }

    public ServiceIpRange range() {
        return range;
    }

    @Override
    public void watches(Watches w) {
        w.on(Kinds.SERVICE, this::serviceEvent);
    }

    private Collection<String> serviceEvent(WatchEvent<Service> e) {
        Service s = e.object();
        String ip = clusterIP(s);
        if (e.type() == WatchEvent.Type.DELETED) {
            if (ip != null) {
                inUse.remove(ip, s.key());
            }
            List<String> keys = new ArrayList<>(waiting);
            keys.add(s.key());
            return keys;
        }
        if (ip != null) {
            inUse.putIfAbsent(ip, s.key());
        }
        return ip == null ? List.of(s.key()) : List.of();
    }

    @Override
    public Collection<String> resyncKeys() {
        List<String> keys = new ArrayList<>();
        for (Service s : store.list(Kinds.SERVICE, null)) {
            String ip = clusterIP(s);
            if (ip != null) {
                inUse.putIfAbsent(ip, s.key());
            } else {
                keys.add(s.key());
            }
        }
        loaded = true;
        return keys;
    }

    @Override
    public Result reconcile(String key) {
        if (!loaded) {
            resyncKeys();
        }
        String[] nn = Owners.split(key);
        Service svc = store.get(Kinds.SERVICE, nn[0], nn[1]).orElse(null);
        if (svc == null) {
            inUse.values().removeIf(key::equals);
            waiting.remove(key);
            return Result.done();
        }
        if (clusterIP(svc) != null) {
            inUse.putIfAbsent(clusterIP(svc), key);
            waiting.remove(key);
            return Result.done();
        }
        String ip = reserve(key);
        if (ip == null) {
            waiting.add(key);
            events.warning(svc, "ClusterIPRangeFull", "no free virtual address left in " + range.cidr()
                    + " for service " + key + "; it gets one when another service is deleted");
            return Result.done();
        }
        Service.Spec spec = svc.spec() == null ? new Service.Spec(null, null, null, null) : svc.spec();
        try {
            store.update(svc.withSpec(spec.withClusterIP(ip)));
        } catch (ConflictException e) {
            inUse.remove(ip, key);
            return Result.retry("service " + key + " changed while its address was allocated");
        } catch (RuntimeException e) {
            inUse.remove(ip, key);
            throw e;
        }
        waiting.remove(key);
        return Result.done();
    }

    /** Reserves the next free address for the key, or null when the range is full. */
    private synchronized String reserve(String key) {
        int size = range.size();
        for (int i = 0; i < size; i++) {
            int candidate = (next + i) % size;
            String ip = range.address(candidate);
            if (inUse.putIfAbsent(ip, key) == null) {
                next = (candidate + 1) % size;
                return ip;
            }
        }
        return null;
    }

    /** The addresses currently held, for tests and diagnostics. */
    public Map<String, String> inUse() {
        return Map.copyOf(inUse);
    }

    private static String clusterIP(Service s) {
        String ip = s.spec() == null ? null : s.spec().clusterIP();
        return ip == null || ip.isBlank() || ip.equals("None") ? null : ip;
    }
}
