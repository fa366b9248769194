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
 *   <li>PTR: {@code 5.0.77.127.in-addr.arpa} → {@code api.shop.svc.cluster.local} for the service whose cluster
 *       IP is 127.77.0.5;</li>
 *   <li>a name under the domain that is none of these: NXDOMAIN (authoritative); a known name asked for another
 *       type (AAAA, TXT…): no answer (NOERROR, "NODATA"); a name outside the domain, and the reverse name of an
 *       address that is no cluster IP: {@link Outcome#OUTSIDE}, which the server forwards or refuses.</li>
 * </ul>
 */
public final class DnsRecords {
    /** One answer set. {@code address} for A, {@code port}/{@code target} for SRV. */
    public record Srv(int port, String target) {
    }

    /**
     * What to answer: the outcome and, for {@link Outcome#FOUND}, the records: {@code address} for A (and the
     * target's address with SRV), {@code srv} for SRV, {@code name} (with the trailing dot) for PTR.
     */
    public record Answer(Outcome outcome, String address, Srv srv, String name) {
        static final Answer NX = new Answer(Outcome.NXDOMAIN, null, null, null);
        static final Answer OUTSIDE = new Answer(Outcome.OUTSIDE, null, null, null);
        static final Answer EMPTY = new Answer(Outcome.NO_DATA, null, null, null);
    }

    /** FOUND, NO_DATA and NXDOMAIN are this zone's answers; OUTSIDE: a name this zone does not hold. */
    public enum Outcome { FOUND, NO_DATA, NXDOMAIN, OUTSIDE }

    public enum Type { A, SRV, PTR, OTHER }

    private final String domain;
    private final Map<String, String> addresses; // "api.shop" -> ip
    private final Map<String, Srv> srv;          // "_http._tcp.api.shop" -> srv
    private final Map<String, String> reverse;   // "5.0.77.127.in-addr.arpa" -> "api.shop.svc.cluster.local."

    private DnsRecords(String domain, Map<String, String> addresses, Map<String, Srv> srv,
                       Map<String, String> reverse) {
        this.domain = domain;
        this.addresses = addresses;
        this.srv = srv;
        this.reverse = reverse;
    }

    /** An empty zone. */
    public static DnsRecords empty(String domain) {
        return new DnsRecords(normal(domain), Map.of(), Map.of(), Map.of());
    }

    /** The zone of these Services; those without a cluster IP are left out. */
    public static DnsRecords of(String domain, Collection<Service> services) {
        String d = normal(domain);
        Map<String, String> a = new HashMap<>();
        Map<String, Srv> s = new HashMap<>();
        Map<String, String> r = new HashMap<>();
        for (Service svc : services) {
            String ip = svc.spec() == null ? null : svc.spec().clusterIP();
            if (ip == null || ip.isBlank() || ip.equals("None")) {
                continue;
            }
            String key = normal(svc.metadata().name() + "." + svc.metadata().namespace());
            a.put(key, ip);
            String back = reverseName(ip);
            if (back != null) {
                r.merge(back, key + ".svc." + d + ".", (x, y) -> x.compareTo(y) <= 0 ? x : y); // one name, stable
            }
            for (Service.Port p : svc.spec().ports()) {
                if (p.name() != null && !p.name().isBlank()) {
                    String proto = p.protocol() == null ? "tcp" : p.protocol().toLowerCase(Locale.ROOT);
                    s.put("_" + normal(p.name()) + "._" + proto + "." + key, new Srv(p.port(), key + ".svc." + d));
                }
            }
        }
        return new DnsRecords(d, Map.copyOf(a), Map.copyOf(s), Map.copyOf(r));
    }

    public String domain() {
        return domain;
    }

    /** The answer to a question for {@code name} of {@code type}. */
    public Answer lookup(String name, Type type) {
        String n = normal(name);
        if (n.endsWith(".in-addr.arpa")) {
            String target = reverse.get(n);
            if (target == null) {
                return Answer.OUTSIDE;
            }
            return type == Type.PTR ? new Answer(Outcome.FOUND, null, null, target) : Answer.EMPTY;
        }
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
            return Answer.OUTSIDE;
        }
        if (local.startsWith("_")) {
            Srv record = srv.get(local);
            if (record == null) {
                return Answer.NX;
            }
            return type == Type.SRV ? new Answer(Outcome.FOUND, addresses.get(local.substring(
                    local.indexOf('.', local.indexOf('.') + 1) + 1)), record, null) : Answer.EMPTY;
        }
        String ip = addresses.get(local);
        if (ip == null) {
            boolean namespaceOnly = local.indexOf('.') < 0 && addresses.keySet().stream()
                    .anyMatch(k -> k.endsWith("." + local));
            return namespaceOnly ? Answer.EMPTY : Answer.NX;
        }
        return type == Type.A ? new Answer(Outcome.FOUND, ip, null, null) : Answer.EMPTY;
    }

    /** How many services have an address in the zone. */
    public int size() {
        return addresses.size();
    }

    List<String> names() {
        return addresses.keySet().stream().sorted().toList();
    }

    /** {@code d.c.b.a.in-addr.arpa} for the IPv4 address {@code a.b.c.d}; null for anything else. */
    static String reverseName(String ip) {
        String[] parts = ip.trim().split("\\.");
        if (parts.length != 4) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 3; i >= 0; i--) {
            if (!parts[i].matches("[0-9]{1,3}")) {
                return null;
            }
            b.append(Integer.parseInt(parts[i])).append('.');
        }
        return b.append("in-addr.arpa").toString();
    }

    private static String normal(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
