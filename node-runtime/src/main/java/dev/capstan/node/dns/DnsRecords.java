package dev.capstan.node.dns;

import dev.capstan.model.Service;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The zone the DNS server serves, rebuilt as a whole from the Services: pure and immutable, so a lookup never
 * sees half an update. Names are matched without case and without the trailing dot.
 *
 * <ul>
 *   <li>A: {@code api.shop.svc.cluster.local}, and the shorter {@code api.shop.svc} and {@code api.shop} (what a
 *       client without the search path asks) → the cluster IP;</li>
 *   <li>SRV: {@code _http._tcp.api.shop.svc.cluster.local} → priority 0, weight 100, the service port, target
 *       {@code api.shop.svc.cluster.local};</li>
 *   <li>a name under the domain that is none of these: NXDOMAIN; a known name asked for another type: no
 *       answer (NOERROR); a name outside the domain: refused (the server forwards nothing).</li>
 * </ul>
 */
public final class DnsRecords {
    /** One answer set. {@code address} for A, {@code port}/{@code target} for SRV. */
    public record Srv(int port, String target) {
    }

    /** What to answer: the outcome and, for {@link Outcome#FOUND}, the records. */
    public record Answer(Outcome outcome, String address, Srv srv) {
        static final Answer NX = new Answer(Outcome.NXDOMAIN, null, null);
        static final Answer REFUSED = new Answer(Outcome.REFUSED, null, null);
        static final Answer EMPTY = new Answer(Outcome.NO_DATA, null, null);
    }

    public enum Outcome { FOUND, NO_DATA, NXDOMAIN, REFUSED }

    public enum Type { A, SRV, OTHER }

    private final String domain;
    private final Map<String, String> addresses; // "api.shop" -> ip
    private final Map<String, Srv> srv;          // "_http._tcp.api.shop" -> srv

    private DnsRecords(String domain, Map<String, String> addresses, Map<String, Srv> srv) {
        this.domain = domain;
        this.addresses = addresses;
        this.srv = srv;
    }

    /** An empty zone. */
    public static DnsRecords empty(String domain) {
        return new DnsRecords(normal(domain), Map.of(), Map.of());
    }

    /** The zone of these Services; those without a cluster IP are left out. */
    public static DnsRecords of(String domain, Collection<Service> services) {
        String d = normal(domain);
        Map<String, String> a = new HashMap<>();
        Map<String, Srv> s = new HashMap<>();
        for (Service svc : services) {
            String ip = svc.spec() == null ? null : svc.spec().clusterIP();
            if (ip == null || ip.isBlank() || ip.equals("None")) {
                continue;
            }
            String key = normal(svc.metadata().name() + "." + svc.metadata().namespace());
            a.put(key, ip);
            for (Service.Port p : svc.spec().ports()) {
                if (p.name() != null && !p.name().isBlank()) {
                    String proto = p.protocol() == null ? "tcp" : p.protocol().toLowerCase(Locale.ROOT);
                    s.put("_" + normal(p.name()) + "._" + proto + "." + key, new Srv(p.port(), key + ".svc." + d));
                }
            }
        }
        return new DnsRecords(d, Map.copyOf(a), Map.copyOf(s));
    }

    public String domain() {
        return domain;
    }

    /** The answer to a question for {@code name} of {@code type}. */
    public Answer lookup(String name, Type type) {
        String n = normal(name);
        String suffix = ".svc." + domain;
        String local;
        if (n.endsWith(suffix)) {
            local = n.substring(0, n.length() - suffix.length());
        } else if (n.endsWith(".svc")) {
            local = n.substring(0, n.length() - 4);
        } else if (n.equals(domain) || n.endsWith("." + domain)) {
            return n.equals(domain) || n.equals("svc." + domain) ? Answer.EMPTY : Answer.NX;
        } else if (addresses.containsKey(n) || srv.containsKey(n)) {
            local = n;
        } else {
            return Answer.REFUSED;
        }
        if (local.startsWith("_")) {
            Srv record = srv.get(local);
            if (record == null) {
                return Answer.NX;
            }
            return type == Type.SRV ? new Answer(Outcome.FOUND, addresses.get(local.substring(
                    local.indexOf('.', local.indexOf('.') + 1) + 1)), record) : Answer.EMPTY;
        }
        String ip = addresses.get(local);
        if (ip == null) {
            boolean namespaceOnly = local.indexOf('.') < 0 && addresses.keySet().stream()
                    .anyMatch(k -> k.endsWith("." + local));
            return namespaceOnly ? Answer.EMPTY : Answer.NX;
        }
        return type == Type.A ? new Answer(Outcome.FOUND, ip, null) : Answer.EMPTY;
    }

    /** How many services have an address in the zone. */
    public int size() {
        return addresses.size();
    }

    List<String> names() {
        return addresses.keySet().stream().sorted().toList();
    }

    private static String normal(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
