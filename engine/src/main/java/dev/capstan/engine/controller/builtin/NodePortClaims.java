package dev.capstan.engine.controller.builtin;

import dev.capstan.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Node ports as Services claim them: which ports a Service holds, whether the numbers it asks for are free, and
 * keeping an allocated number when a Service is written again without it (as Kubernetes keeps a nodePort that an
 * update leaves out). Pure functions over Service objects, shared by the API server's writes, Git's applies and
 * {@link NodePortAllocator}.
 */
public final class NodePortClaims {

    private NodePortClaims() {
    }

    /** Types whose ports each get a node port. */
    public static boolean wantsNodePorts(Service s) {
        String type = s.spec() == null ? null : s.spec().type();
        return "NodePort".equals(type) || "LoadBalancer".equals(type);
    }

    /** The node port numbers a Service holds (set on its ports), in port order. */
    public static List<Integer> held(Service s) {
        List<Integer> out = new ArrayList<>();
        if (s.spec() != null) {
            for (Service.Port p : s.spec().ports()) {
                if (number(p) != null) {
                    out.add(p.nodePort());
                }
            }
        }
        return out;
    }

    /** Whether some port of a NodePort Service still waits for a number. */
    public static boolean needsAllocation(Service s) {
        return wantsNodePorts(s) && s.spec().ports().stream().anyMatch(p -> number(p) == null);
    }

    /** The port's node port, or null when it has none (Kubernetes' 0 means none too). */
    static Integer number(Service.Port p) {
        return p.nodePort() == null || p.nodePort() <= 0 ? null : p.nodePort();
    }

    /**
     * {@code next} with the node ports of {@code live} on the ports that {@code next} leaves without one, matched by
     * port name (or by port number when unnamed), when both are of a type with node ports; otherwise {@code next}.
     * A re-apply of the same Service from Git, or a PUT without the numbers, so keeps what was allocated.
     */
    public static Service keepAllocated(Service next, Service live) {
        if (live == null || !wantsNodePorts(next) || !wantsNodePorts(live) || !needsAllocation(next)) {
            return next;
        }
        List<Service.Port> ports = new ArrayList<>();
        boolean changed = false;
        for (Service.Port p : next.spec().ports()) {
            Integer kept = number(p) == null ? livePort(p, live) : null;
            if (kept != null && !ports.stream().anyMatch(q -> kept.equals(q.nodePort()))
                    && next.spec().ports().stream().noneMatch(q -> kept.equals(number(q)))) {
                ports.add(new Service.Port(p.name(), p.port(), p.targetPort(), p.protocol(), kept));
                changed = true;
            } else {
                ports.add(p);
            }
        }
        if (!changed) {
            return next;
        }
        Service.Spec s = next.spec();
        return next.withSpec(new Service.Spec(s.selector(), ports, s.clusterIP(), s.type()));
    }

    private static Integer livePort(Service.Port p, Service live) {
        for (Service.Port q : live.spec().ports()) {
            boolean same = p.name() != null && !p.name().isEmpty() ? p.name().equals(q.name())
                    : (q.name() == null || q.name().isEmpty()) && p.port() == q.port();
            if (same) {
                return number(q);
            }
        }
        return null;
    }

    /** Why one node port of a Service cannot be had. */
    public record Problem(int index, int nodePort, String holder, String message) {
    }

    /**
     * What is wrong with the node ports {@code svc} sets, given the other Services of the cluster: a number outside
     * {@code range} (null: not checked), one set twice in the Service, one another Service holds ({@link
     * Problem#holder} names it). Services with the key of {@code svc} are not "others". Empty when all is well.
     */
    public static List<Problem> check(Service svc, Collection<Service> others, NodePortRange range) {
        List<Problem> out = new ArrayList<>();
        if (svc.spec() == null) {
            return out;
        }
        Map<Integer, String> holders = new HashMap<>();
        for (Service o : others) {
            if (!o.key().equals(svc.key())) {
                for (Integer p : held(o)) {
                    holders.putIfAbsent(p, o.key());
                }
            }
        }
        Map<Integer, Integer> mine = new HashMap<>();
        List<Service.Port> ports = svc.spec().ports();
        for (int i = 0; i < ports.size(); i++) {
            Integer n = number(ports.get(i));
            if (n == null) {
                continue;
            }
            String field = "spec.ports[" + i + "].nodePort";
            if (range != null && !range.contains(n)) {
                out.add(new Problem(i, n, null, field + ": Invalid value: " + n + ": provided port is not in the "
                        + "valid range. The range of valid ports is " + range));
            } else if (mine.putIfAbsent(n, i) != null) {
                out.add(new Problem(i, n, null, field + ": Duplicate value: " + n));
            } else if (holders.containsKey(n)) {
                out.add(new Problem(i, n, holders.get(n), field + ": Invalid value: " + n
                        + ": provided port is already allocated (to service " + holders.get(n) + ")"));
            }
        }
        return out;
    }
}
