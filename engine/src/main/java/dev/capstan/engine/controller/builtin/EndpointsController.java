package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Container;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Kinds;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one Endpoints object per Service (same namespace and name) listing the pods its selector matches:
 * ready pods ({@link Pod#isReady()}) under {@code addresses}, the others under {@code notReadyAddresses};
 * pods that ended, are being deleted or have no address yet are left out. The address is the pod's
 * {@code podIP}, else its {@code hostIP}. Each service port's {@code targetPort} names a container port
 * (a number or no targetPort are taken literally); it resolves to that port's {@code hostPort} when the
 * agent assigned one, else to its {@code containerPort}. Pods resolving to the same ports share a subset.
 * A Service without a selector is left alone (its Endpoints are managed by hand). Key: the Service's key.
 */
public final class EndpointsController implements Controller {
    private final StateStore store;
    /** namespace → keys of its services, kept from the service watch so pod events map without reads. */
    private final Map<String, Set<String>> servicesByNamespace = new ConcurrentHashMap<>();

    public EndpointsController(StateStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "endpoints";
    }

    @Override
    public void watches(Watches w) {
        w.on(Kinds.SERVICE, this::serviceEvent);
        w.on(Kinds.POD, e -> List.copyOf(servicesByNamespace.getOrDefault(e.object().metadata().namespace(), Set.of())));
    }

    private Collection<String> serviceEvent(WatchEvent<Service> e) {
        Service s = e.object();
        Set<String> keys = servicesByNamespace.computeIfAbsent(s.metadata().namespace(), k -> ConcurrentHashMap.newKeySet());
        if (e.type() == WatchEvent.Type.DELETED) {
            keys.remove(s.key());
        } else {
            keys.add(s.key());
        }
        return List.of(s.key());
    }

    @Override
    public Collection<String> resyncKeys() {
        List<String> keys = new ArrayList<>();
        for (Service s : store.list(Kinds.SERVICE, null)) {
            servicesByNamespace.computeIfAbsent(s.metadata().namespace(), k -> ConcurrentHashMap.newKeySet()).add(s.key());
            keys.add(s.key());
        }
        return keys;
    }

    @Override
    public Result reconcile(String key) {
        String[] nn = Owners.split(key);
        Service svc = store.get(Kinds.SERVICE, nn[0], nn[1]).orElse(null);
        Endpoints current = store.get(Kinds.ENDPOINTS, nn[0], nn[1]).orElse(null);
        if (svc == null) {
            if (current != null) {
                store.delete(Kinds.ENDPOINTS, nn[0], nn[1], current.metadata().resourceVersion());
            }
            return Result.done();
        }
        if (svc.spec() == null || svc.spec().selector().isEmpty()) {
            return Result.done();
        }
        List<Pod> pods = store.list(Kinds.POD, nn[0]).stream().filter(p -> selects(svc, p)).toList();
        List<Endpoints.Subset> subsets = subsets(svc, pods);
        if (current == null) {
            ObjectMeta m = ObjectMeta.of(nn[0], nn[1]).withLabels(svc.metadata().labels());
            store.create(new Endpoints(m, subsets));
        } else if (!current.subsets().equals(subsets) || !current.metadata().labels().equals(svc.metadata().labels())) {
            store.update(new Endpoints(current.metadata().withLabels(svc.metadata().labels()), subsets));
        }
        return Result.done();
    }

    private static boolean selects(Service svc, Pod p) {
        for (Map.Entry<String, String> e : svc.spec().selector().entrySet()) {
            if (!e.getValue().equals(p.metadata().labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Pods grouped by their resolved ports, each group a subset; everything sorted so equal input is equal output. */
    static List<Endpoints.Subset> subsets(Service svc, List<Pod> pods) {
        Map<String, List<Endpoints.Port>> portsByGroup = new TreeMap<>();
        Map<String, List<Endpoints.Address>> ready = new TreeMap<>();
        Map<String, List<Endpoints.Address>> notReady = new TreeMap<>();
        for (Pod p : pods) {
            String ip = address(p);
            if (ip == null || p.spec() == null || p.isTerminal() || PodDeletion.isTerminating(p)) {
                continue;
            }
            List<Endpoints.Port> ports = resolvePorts(svc, p);
            if (ports.isEmpty() && !svc.spec().ports().isEmpty()) {
                continue;
            }
            String group = ports.toString();
            portsByGroup.put(group, ports);
            Endpoints.Address a = new Endpoints.Address(ip, p.nodeName(), new Endpoints.TargetRef("Pod",
                    p.metadata().namespace(), p.metadata().name(), p.metadata().uid()));
            (p.isReady() ? ready : notReady).computeIfAbsent(group, k -> new ArrayList<>()).add(a);
        }
        Comparator<Endpoints.Address> order = Comparator.comparing(Endpoints.Address::ip)
                .thenComparing(a -> a.targetRef().name());
        List<Endpoints.Subset> out = new ArrayList<>();
        for (Map.Entry<String, List<Endpoints.Port>> g : portsByGroup.entrySet()) {
            List<Endpoints.Address> r = new ArrayList<>(ready.getOrDefault(g.getKey(), List.of()));
            List<Endpoints.Address> n = new ArrayList<>(notReady.getOrDefault(g.getKey(), List.of()));
            r.sort(order);
            n.sort(order);
            out.add(new Endpoints.Subset(List.copyOf(r), List.copyOf(n), g.getValue()));
        }
        return List.copyOf(out);
    }

    private static String address(Pod p) {
        if (p.status() == null) {
            return null;
        }
        String ip = p.status().podIP() != null ? p.status().podIP() : p.status().hostIP();
        return ip == null || ip.isEmpty() ? null : ip;
    }

    private static List<Endpoints.Port> resolvePorts(Service svc, Pod p) {
        List<Endpoints.Port> out = new ArrayList<>();
        for (Service.Port sp : svc.spec().ports()) {
            Integer port = resolve(sp, p);
            if (port != null) {
                out.add(new Endpoints.Port(sp.name(), port, sp.protocol() == null ? "TCP" : sp.protocol()));
            }
        }
        return out;
    }

    private static Integer resolve(Service.Port sp, Pod p) {
        String target = sp.targetPort();
        if (target == null || target.isEmpty()) {
            return sp.port();
        }
        for (Container c : p.spec().containers()) {
            for (Container.ContainerPort cp : c.ports()) {
                boolean byName = target.equals(cp.name());
                boolean byNumber = cp.containerPort() != null && target.equals(cp.containerPort().toString());
                if (byName || byNumber) {
                    return cp.hostPort() != null && cp.hostPort() > 0 ? cp.hostPort() : cp.containerPort();
                }
            }
        }
        return target.chars().allMatch(Character::isDigit) ? Integer.valueOf(target) : null;
    }
}
