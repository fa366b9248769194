package dev.capstan.node.dns;

import dev.capstan.engine.metrics.MetricsText;
import dev.capstan.engine.metrics.MetricsText.Type;

/** The cluster DNS server's counters ({@link DnsStats}) for {@code GET /metrics}. */
public final class DnsMetrics {
    private DnsMetrics() {
    }

    public static MetricsText render(DnsStats s) {
        MetricsText out = new MetricsText()
                .add("capstan_dns_queries_total", Type.COUNTER, "Questions answered (zone, cache or upstream).",
                        s.queries())
                .add("capstan_dns_forwarded_total", Type.COUNTER, "Questions sent on to an upstream.", s.forwarded())
                .add("capstan_dns_forward_failures_total", Type.COUNTER,
                        "Forwarded questions answered SERVFAIL because no upstream answered.", s.forwardFailures())
                .add("capstan_dns_shared_total", Type.COUNTER,
                        "Questions that got the answer of an identical one in flight.", s.shared())
                .add("capstan_dns_cache_hits_total", Type.COUNTER, "Questions answered from the cache.",
                        s.cache().hits())
                .add("capstan_dns_cache_misses_total", Type.COUNTER, "Cacheable questions not in the cache.",
                        s.cache().misses())
                .add("capstan_dns_cache_evictions_total", Type.COUNTER,
                        "Answers dropped to stay within the cache's bounds.", s.cache().evictions())
                .add("capstan_dns_cache_entries", Type.GAUGE, "Answers in the cache.", s.cache().entries())
                .add("capstan_dns_cache_bytes", Type.GAUGE, "Bytes of the answers in the cache.", s.cache().bytes());
        for (DnsStats.Upstream u : s.upstreams()) {
            out.add("capstan_dns_upstream_queries_total", Type.COUNTER, "Queries sent to an upstream.", u.queries(),
                    "upstream", u.address());
        }
        for (DnsStats.Upstream u : s.upstreams()) {
            out.add("capstan_dns_upstream_failures_total", Type.COUNTER,
                    "Queries an upstream did not answer in time or that could not be sent.", u.failures(),
                    "upstream", u.address());
        }
        for (DnsStats.Upstream u : s.upstreams()) {
            out.add("capstan_dns_upstream_down", Type.GAUGE,
                    "1 while an upstream is backed off (asked after the healthy ones).", u.down() ? 1 : 0,
                    "upstream", u.address());
        }
        return out;
    }
}
