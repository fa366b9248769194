package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.NotFoundException;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Kinds;
import dev.capstan.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives every port of a Service of {@code type: NodePort} that has no {@code nodePort} one from a range (default
 * {@value NodePortRange#DEFAULT}), unique in the cluster, and keeps it for the Service's lifetime, as Kubernetes'
 * node port allocator does. Works as {@link ServiceIpAllocator} does for addresses:
 *
 * <p>Ports in use (allocated or written) are remembered in memory, rebuilt from the store before the first
 * allocation and kept current from the Service watch; a port is reserved in memory before it is written, and
 * written compare-and-set on the Service's resourceVersion, so two Services never get the same one. A port the
 * Service no longer has (deleted, its type changed, the port removed) goes back to the range. Allocation goes round
 * the range above its {@linkplain NodePortRange#staticBand() static band} first. When the range is full the Service
 * gets a {@code NodePortRangeFull} warning and is tried again whenever a port is freed. A written number that
 * another Service already holds (the API and Git refuse that, so only a write straight to the store) gets a
 * {@code NodePortConflict} warning on the later Service. Key: the Service's key.
 */
public final class NodePortAllocator implements Controller {
    public static final String COMPONENT = "node-port-allocator";

    private final StateStore store;
    private final EventRecorder events;
    private final NodePortRange range;
    /** port → key of the Service holding it. */
    private final Map<Integer, String> inUse = new HashMap<>();
    /** Services waiting for ports because the range was full. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;
    /** Where the next search starts, as an offset above the static band. */
    private int next;

    public NodePortAllocator(StateStore store, EventRecorder events, NodePortRange range) {
        this.store = store;
        this.events = events;
        this.range = range;
    }

    @Override
    public String name() {
        return "node-port";
    }

    public NodePortRange range() {
        return range;
    }

    @Override
    public void watches(Watches w) {
        w.on(Kinds.SERVICE, this::serviceEvent);
    }

    private Collection<String> serviceEvent(WatchEvent<Service> e) {
        Service s = e.object();
        if (e.type() == WatchEvent.Type.DELETED) {
            boolean freed = release(s.key(), Set.of());
            List<String> keys = new ArrayList<>(freed ? waiting : Set.of());
            keys.add(s.key());
            return keys;
        }
        List<Integer> held = NodePortClaims.held(s);
        boolean taken = !claimAll(s.key(), held).isEmpty();
        // reconcile reads the Service again: allocates what it lacks, frees what it dropped, warns of a taken one
        return NodePortClaims.needsAllocation(s) || taken || holdsMoreThan(s.key(), held) ? List.of(s.key())
                : List.of();
    }

    /** Whether the key holds a port besides {@code ports} (one its Service dropped). */
    private synchronized boolean holdsMoreThan(String key, List<Integer> ports) {
        return inUse.entrySet().stream().anyMatch(e -> e.getValue().equals(key) && !ports.contains(e.getKey()));
    }

    @Override
    public Collection<String> resyncKeys() {
        List<String> keys = new ArrayList<>();
        for (Service s : store.list(Kinds.SERVICE, null)) {
            claimAll(s.key(), NodePortClaims.held(s));
            if (NodePortClaims.needsAllocation(s)) {
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
            release(key, Set.of());
            waiting.remove(key);
            return Result.done();
        }
        List<Integer> held = NodePortClaims.held(svc);
        release(key, new HashSet<>(held));
        List<String> taken = claimAll(key, held);
        for (String conflict : taken) {
            events.warning(svc, "NodePortConflict", conflict);
        }
        if (!NodePortClaims.needsAllocation(svc)) {
            waiting.remove(key);
            return Result.done();
        }
        List<Service.Port> ports = new ArrayList<>();
        List<Integer> reserved = new ArrayList<>();
        for (Service.Port p : svc.spec().ports()) {
            if (NodePortClaims.number(p) != null) {
                ports.add(p);
                continue;
            }
            Integer port = reserve(key);
            if (port == null) {
                unreserve(key, reserved);
                waiting.add(key);
                events.warning(svc, "NodePortRangeFull", "no free node port left in " + range + " for service " + key
                        + "; it gets one when another service gives one up");
                return Result.done();
            }
            reserved.add(port);
            ports.add(new Service.Port(p.name(), p.port(), p.targetPort(), p.protocol(), port));
        }
        Service.Spec spec = svc.spec();
        try {
            store.update(svc.withSpec(new Service.Spec(spec.selector(), ports, spec.clusterIP(), spec.type())));
        } catch (ConflictException | NotFoundException e) {
            unreserve(key, reserved);
            return Result.retry("service " + key + " changed while its node ports were allocated");
        } catch (RuntimeException e) {
            unreserve(key, reserved);
            throw e;
        }
        waiting.remove(key);
        return Result.done();
    }

    /** Records the ports as held by the key; returns a message for each one another Service holds already. */
    private synchronized List<String> claimAll(String key, List<Integer> ports) {
        List<String> taken = new ArrayList<>();
        for (Integer p : ports) {
            String holder = inUse.putIfAbsent(p, key);
            if (holder != null && !holder.equals(key)) {
                taken.add("node port " + p + " of service " + key + " is already allocated to service " + holder
                        + "; only " + holder + " is reachable on it");
            }
        }
        return taken;
    }

    /** Frees the ports the key holds except {@code keep}; whether any was freed. */
    private synchronized boolean release(String key, Set<Integer> keep) {
        return inUse.entrySet().removeIf(e -> e.getValue().equals(key) && !keep.contains(e.getKey()));
    }

    private synchronized void unreserve(String key, List<Integer> ports) {
        for (Integer p : ports) {
            inUse.remove(p, key);
        }
    }

    /** Reserves a free port for the key, above the static band first; null when the range is full. */
    private synchronized Integer reserve(String key) {
        int band = range.staticBand();
        int upper = range.size() - band;
        for (int i = 0; i < upper; i++) {
            int offset = (next + i) % upper;
            int port = range.min() + band + offset;
            if (inUse.putIfAbsent(port, key) == null) {
                next = (offset + 1) % upper;
                return port;
            }
        }
        for (int i = 0; i < band; i++) {
            int port = range.min() + i;
            if (inUse.putIfAbsent(port, key) == null) {
                return port;
            }
        }
        return null;
    }

    /** The ports currently held (port → Service key), for tests and diagnostics. */
    public synchronized Map<Integer, String> inUse() {
        return Map.copyOf(inUse);
    }
}
