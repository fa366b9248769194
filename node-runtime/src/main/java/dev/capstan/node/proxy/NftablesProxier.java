package dev.capstan.node.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service traffic carried by the kernel, as kube-proxy's nftables mode does: each connection to a service address
 * is rewritten to one of its endpoints (destination NAT, round-robin) when it is opened, and connection tracking
 * carries the rest of it. Nothing is copied through this process, so it costs next to no CPU per request; what
 * the Netty proxy ({@link ProxyTable}) does on top, this mode does not: no failover when an endpoint refuses (the
 * endpoint is taken out when its pod stops being ready), no least-connections (round-robin is used, with a
 * warning), no drain timeout (an established connection to a removed endpoint runs until either side closes it).
 *
 * <p>Needs the {@code nft} command and CAP_NET_ADMIN (root). Rules live in a table of their own (see
 * {@link NftRules}), replaced whole at start and deleted at {@link #close()}; every {@link #apply} rewrites the
 * chain in one transaction, so a connection sees either the old rules or the new ones.
 */
public final class NftablesProxier implements Proxier {
    private static final Logger log = LoggerFactory.getLogger(NftablesProxier.class);

    /** The table {@code capstan up} uses. */
    public static final String TABLE = "capstan";

    private final Nft nft;
    private final String table;
    private NftRules.Ruleset current = new NftRules.Ruleset("", Map.of(), Map.of());
    private final Set<String> warned = new HashSet<>();
    private volatile Balance defaultBalance = Balance.ROUND_ROBIN;
    private boolean closed;

    NftablesProxier(Nft nft, String table) {
        if (!table.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("not an nftables table name: " + table);
        }
        this.nft = nft;
        this.table = table;
    }

    /**
     * Creates (or replaces) the table through the host's {@code nft}.
     *
     * @throws IllegalStateException when nft is missing or may not change the rules (not root), saying so
     */
    public static NftablesProxier start(String table) {
        return start(Nft.system(), table);
    }

    /** Why the nftables proxy cannot run here (no nft, or not allowed to use it), or empty when it can. */
    public static Optional<String> unusable() {
        try {
            Nft.system().run(List.of("list", "tables"), null);
            return Optional.empty();
        } catch (Nft.NftException e) {
            return Optional.of(firstLine(e.getMessage()));
        }
    }

    static NftablesProxier start(Nft nft, String table) {
        NftablesProxier p = new NftablesProxier(nft, table);
        try {
            nft.run(List.of("-f", "-"), NftRules.create(table));
        } catch (Nft.NftException e) {
            throw new IllegalStateException("the nftables proxy needs the nft command (apt-get install nftables) "
                    + "and root (CAP_NET_ADMIN): " + firstLine(e.getMessage()));
        }
        return p;
    }

    @Override
    public String mode() {
        return "nftables";
    }

    @Override
    public NftablesProxier defaultBalance(Balance b) {
        this.defaultBalance = b;
        return this;
    }

    @Override
    public synchronized void apply(Collection<Target> targets) {
        if (closed) {
            return;
        }
        for (Target t : targets) {
            Balance b = t.balance() != null ? t.balance() : defaultBalance;
            if (b == Balance.LEAST_CONNECTIONS && warned.add(t.service())) {
                log.warn("proxy: {} asks for least-connections; the nftables proxy balances round-robin "
                        + "(--proxy-mode netty balances by connections)", t.service());
            }
        }
        List<String> skipped = new ArrayList<>();
        NftRules.Ruleset next = NftRules.apply(table, targets, current.counters().keySet(), skipped);
        for (String s : skipped) {
            if (warned.add("skip " + s)) {
                log.warn("proxy: {} is not served: the nftables proxy handles IPv4 addresses only", s);
            }
        }
        if (next.script().equals(current.script())) {
            return;
        }
        try {
            nft.run(List.of("-f", "-"), next.script());
            current = next;
        } catch (Nft.NftException e) {
            log.warn("proxy: nft refused the service rules, the previous ones stay: {}", firstLine(e.getMessage()));
        }
    }

    @Override
    public synchronized Map<String, String> listening() {
        return Map.copyOf(current.served());
    }

    /**
     * From the kernel's counters: {@code connections} opened to the service's addresses, {@code dropped} those
     * that found no endpoint. Open connections, failovers and drains are not tracked in this mode (-1).
     */
    @Override
    public Map<String, ServiceCounters.Snapshot> counters() {
        Map<String, NftRules.Counters> names;
        synchronized (this) {
            if (closed || current.counters().isEmpty()) {
                return Map.of();
            }
            names = current.counters();
        }
        Map<String, Long> packets = new TreeMap<>();
        try {
            JsonNode root = Json.MAPPER.readTree(nft.run(List.of("-j", "list", "counters", "table", "ip", table), null));
            for (JsonNode item : root.path("nftables")) {
                JsonNode c = item.path("counter");
                if (c.isObject()) {
                    packets.put(c.path("name").asText(), c.path("packets").asLong());
                }
            }
        } catch (Nft.NftException | java.io.IOException e) {
            log.debug("proxy: cannot read the nftables counters: {}", e.getMessage());
            return Map.of();
        }
        Map<String, ServiceCounters.Snapshot> out = new TreeMap<>();
        names.forEach((service, c) -> {
            long forwarded = packets.getOrDefault(c.forwarded(), 0L);
            long refused = packets.getOrDefault(c.refused(), 0L);
            out.put(service, new ServiceCounters.Snapshot(forwarded + refused, -1, -1, refused, -1));
        });
        return out;
    }

    /**
     * Deletes the table: service addresses stop being rewritten, and connections opened through them stop too (the
     * kernel forgets their translation), as the Netty proxy closes its connections when it stops.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            nft.run(List.of("-f", "-"), NftRules.delete(table));
        } catch (Nft.NftException e) {
            log.warn("proxy: could not delete nftables table ip {}: {}", table, firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
