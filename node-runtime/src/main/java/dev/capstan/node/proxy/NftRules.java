package dev.capstan.node.proxy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The nftables ruleset of {@link NftablesProxier}, as text for {@code nft -f -}. One table of the {@code ip}
 * family holds one NAT chain on the output hook (connections opened on this host, which is where pods run: they
 * share the host's network) with a rule per service address:
 * <pre>
 * ip daddr 127.77.0.1 tcp dport 80 counter name "c_demo_hello_1a2b3c4d"
 *     dnat ip to numgen inc mod 2 map { 0 : 127.0.0.1 . 41000, 1 : 127.0.0.1 . 42000 } comment "demo/hello"
 * </pre>
 * Only the first packet of a connection passes a NAT chain, so the rule picks an endpoint per connection
 * (round-robin) and the kernel's connection tracking rewrites the rest of it, both ways. A connection to a service
 * address without endpoints is refused (TCP reset) by a rule in a second, filter chain, as kube-proxy does.
 *
 * <p>Counters are named objects, one pair per service, so they survive the chain being rewritten.
 */
final class NftRules {
    static final String CHAIN = "services";
    static final String REFUSE = "refuse";

    private NftRules() {
    }

    /** A rule's two counters: connections sent to an endpoint, and attempts while there was none. */
    record Counters(String service, String forwarded, String refused) {
    }

    /** What {@link #apply} wrote: the script, and the counters it uses by name. */
    record Ruleset(String script, Map<String, Counters> counters, Map<String, String> served) {
    }

    /** Replaces any table of that name with an empty one holding the chain. */
    static String create(String table) {
        return "table ip " + table + " {}\n"
                + "delete table ip " + table + "\n"
                + "table ip " + table + " {\n"
                + "  chain " + CHAIN + " {\n"
                + "    type nat hook output priority -100; policy accept;\n"
                + "  }\n"
                + "  chain " + REFUSE + " {\n"
                + "    type filter hook output priority 0; policy accept;\n"
                + "  }\n"
                + "}\n";
    }

    static String delete(String table) {
        return "table ip " + table + " {}\ndelete table ip " + table + "\n";
    }

    /**
     * The chains' new rules, in one transaction: flush, (re)declare the counters in use, a rule per distinct
     * {@code ip:port} (the first target wins, as in {@link ProxyTable}), then delete the counters of services no
     * longer served. Targets whose address or endpoints are not IPv4 literals are left out (the family is
     * {@code ip}); their names are added to {@code skipped}.
     */
    static Ruleset apply(String table, Collection<Proxier.Target> targets, Collection<String> previousServices,
                         List<String> skipped) {
        Map<String, Proxier.Target> byAddress = new LinkedHashMap<>();
        List<Proxier.Target> sorted = new ArrayList<>(targets);
        sorted.sort(Comparator.comparing(Proxier.Target::ip).thenComparingInt(Proxier.Target::port));
        for (Proxier.Target t : sorted) {
            if (!ipv4(t.ip()) || !t.endpoints().stream().allMatch(e -> ipv4(e.getHostString()))) {
                skipped.add(t.service() + " " + t.ip() + ":" + t.port());
                continue;
            }
            byAddress.putIfAbsent(t.ip() + ":" + t.port(), t);
        }
        Map<String, Counters> counters = new TreeMap<>();
        Map<String, String> served = new TreeMap<>();
        StringBuilder rules = new StringBuilder();
        for (Map.Entry<String, Proxier.Target> e : byAddress.entrySet()) {
            Proxier.Target t = e.getValue();
            served.put(e.getKey(), t.service());
            Counters c = counters.computeIfAbsent(t.service(), NftRules::counterNames);
            rules.append("add rule ip ").append(table).append(' ').append(t.endpoints().isEmpty() ? REFUSE : CHAIN)
                    .append(" ip daddr ").append(t.ip()).append(" tcp dport ").append(t.port());
            if (t.endpoints().isEmpty()) {
                rules.append(" counter name \"").append(c.refused()).append("\" reject with tcp reset");
            } else {
                rules.append(" counter name \"").append(c.forwarded()).append("\" dnat ip to ").append(to(t.endpoints()));
            }
            rules.append(" comment \"").append(comment(t.service())).append("\"\n");
        }
        StringBuilder s = new StringBuilder();
        for (String chain : List.of(CHAIN, REFUSE)) {
            s.append("flush chain ip ").append(table).append(' ').append(chain).append('\n');
        }
        for (Counters c : counters.values()) {
            for (String name : List.of(c.forwarded(), c.refused())) {
                s.append("add counter ip ").append(table).append(' ').append(name)
                        .append(" { comment \"").append(comment(c.service())).append("\" }\n");
            }
        }
        s.append(rules);
        for (String old : previousServices) {
            if (!counters.containsKey(old)) {
                Counters c = counterNames(old);
                s.append("delete counter ip ").append(table).append(' ').append(c.forwarded()).append('\n');
                s.append("delete counter ip ").append(table).append(' ').append(c.refused()).append('\n');
            }
        }
        return new Ruleset(s.toString(), counters, served);
    }

    /** {@code 127.0.0.1 : 8080}, or a round-robin map over several endpoints. */
    private static String to(List<InetSocketAddress> endpoints) {
        if (endpoints.size() == 1) {
            return endpoints.get(0).getHostString() + " : " + endpoints.get(0).getPort();
        }
        StringBuilder s = new StringBuilder("numgen inc mod ").append(endpoints.size()).append(" map { ");
        for (int i = 0; i < endpoints.size(); i++) {
            InetSocketAddress a = endpoints.get(i);
            s.append(i == 0 ? "" : ", ").append(i).append(" : ").append(a.getHostString()).append(" . ").append(a.getPort());
        }
        return s.append(" }").toString();
    }

    /** Names nft accepts ({@code [A-Za-z0-9_]}), readable, and unique per service key through a checksum. */
    static Counters counterNames(String service) {
        String readable = service.replaceAll("[^A-Za-z0-9]", "_");
        if (readable.length() > 60) {
            readable = readable.substring(0, 60);
        }
        CRC32 crc = new CRC32();
        crc.update(service.getBytes(StandardCharsets.UTF_8));
        String id = readable + "_" + String.format("%08x", crc.getValue());
        return new Counters(service, "c_" + id, "r_" + id);
    }

    /** A comment nft accepts: at most 128 bytes, no quotes. */
    private static String comment(String service) {
        String s = service.replace("\"", "");
        return s.length() > 120 ? s.substring(0, 120) : s;
    }

    static boolean ipv4(String host) {
        if (host == null || !host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return false;
        }
        try {
            return InetAddress.getByName(host) instanceof Inet4Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
