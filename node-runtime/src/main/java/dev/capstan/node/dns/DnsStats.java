package dev.capstan.node.dns;

import java.util.List;

/**
 * A snapshot of the DNS server's counters ({@link DnsServer#stats()}), for a metrics endpoint: counts since the
 * server started, except {@code entries}/{@code bytes} and {@code down}, which are the state at the moment.
 *
 * @param queries         questions answered, from the zone, the cache or upstream
 * @param forwarded       of them, those sent on to an upstream (cache misses)
 * @param forwardFailures of those, the ones answered SERVFAIL by this server because no upstream answered
 * @param shared          questions neither answered from the cache nor forwarded: they got the answer of an
 *                        identical query (bytes but the id) that was in flight
 * @param cache           the answer cache of forwarded queries
 * @param upstreams       one per upstream in use, in the configured order
 */
public record DnsStats(long queries, long forwarded, long forwardFailures, long shared, Cache cache,
                       List<Upstream> upstreams) {
    /**
     * @param hits      questions answered from the cache
     * @param misses    cacheable questions that were not (absent, expired, or too large for the client's UDP size)
     * @param inserts   answers stored
     * @param evictions answers dropped to stay within the entry and byte bounds (expiry not included)
     * @param entries   answers held now (expired ones included until looked up or evicted)
     * @param bytes     their size in bytes
     */
    public record Cache(long hits, long misses, long inserts, long evictions, int entries, long bytes) {
        public static final Cache NONE = new Cache(0, 0, 0, 0, 0, 0);
    }

    /**
     * @param address      {@code ip:port}
     * @param queries      queries sent to it (over UDP and TCP)
     * @param failures     of them, those it did not answer in time or could not be sent (what the back-off counts)
     * @param errorAnswers answers SERVFAIL or REFUSED (the next upstream is asked; no back-off: it is alive)
     * @param down         in back-off now: asked only after the healthy upstreams
     */
    public record Upstream(String address, long queries, long failures, long errorAnswers, boolean down) {
    }
}
