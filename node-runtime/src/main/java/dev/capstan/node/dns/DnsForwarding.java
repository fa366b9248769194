package dev.capstan.node.dns;

import java.time.Duration;

/**
 * How the DNS server forwards names outside the cluster: how long each upstream has to answer, the limits of the
 * answer cache ({@code cacheEntries} 0: no cache), and how long an upstream that did not answer is tried only after
 * the others (doubling from {@code backoff} up to {@code maxBackoff} while it keeps failing).
 *
 * @param timeout        how long one upstream has to answer before the next one is asked
 * @param cacheEntries   at most this many answers are kept (least recently used go first); 0 turns the cache off
 * @param cacheBytes     and at most this many bytes of them
 * @param maxTtl         a positive answer is kept for its smallest TTL, at most this long
 * @param maxNegativeTtl a negative answer (NXDOMAIN, NODATA) is kept for its SOA's TTL or MINIMUM, whichever is
 *                       smaller (RFC 2308), at most this long
 * @param backoff        an upstream that timed out is asked after the healthy ones for this long
 * @param maxBackoff     the back-off doubles on each further failure up to this
 */
public record DnsForwarding(Duration timeout, int cacheEntries, long cacheBytes, Duration maxTtl,
                            Duration maxNegativeTtl, Duration backoff, Duration maxBackoff) {
    /** 2 s per upstream; 10,000 answers, 16 MiB, 300 s, 60 s negative; back-off 30 s doubling up to 5 minutes. */
    public static final DnsForwarding DEFAULTS = new DnsForwarding(Duration.ofSeconds(2), 10_000, 16L << 20,
            Duration.ofSeconds(300), Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(5));

    public DnsForwarding {
        if (timeout.isNegative() || timeout.isZero() || cacheEntries < 0 || cacheBytes < 0 || maxTtl.isNegative()
                || maxNegativeTtl.isNegative() || backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("bad DNS forwarding settings: " + this);
        }
    }

    public DnsForwarding withTimeout(Duration t) {
        return new DnsForwarding(t, cacheEntries, cacheBytes, maxTtl, maxNegativeTtl, backoff, maxBackoff);
    }

    /** The same with a cache of at most {@code entries} answers (0: none). */
    public DnsForwarding withCacheEntries(int entries) {
        return new DnsForwarding(timeout, entries, cacheBytes, maxTtl, maxNegativeTtl, backoff, maxBackoff);
    }

    public DnsForwarding withBackoff(Duration first, Duration max) {
        return new DnsForwarding(timeout, cacheEntries, cacheBytes, maxTtl, maxNegativeTtl, first, max);
    }
}
