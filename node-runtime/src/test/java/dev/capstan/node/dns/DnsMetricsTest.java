package dev.capstan.node.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DnsMetricsTest {
    @Test
    void countersAndOneSeriesPerUpstream() {
        DnsStats s = new DnsStats(10, 4, 1, 2, new DnsStats.Cache(5, 4, 3, 0, 3, 420),
                List.of(new DnsStats.Upstream("10.0.0.2:53", 3, 1, 0, true),
                        new DnsStats.Upstream("10.0.0.3:53", 2, 0, 0, false)));
        assertThat(DnsMetrics.render(s).text()).contains("capstan_dns_queries_total 10\n",
                "capstan_dns_cache_hits_total 5\n", "# TYPE capstan_dns_cache_entries gauge\n",
                "capstan_dns_upstream_queries_total{upstream=\"10.0.0.2:53\"} 3\n",
                "capstan_dns_upstream_queries_total{upstream=\"10.0.0.3:53\"} 2\n",
                "capstan_dns_upstream_down{upstream=\"10.0.0.2:53\"} 1\n",
                "capstan_dns_upstream_down{upstream=\"10.0.0.3:53\"} 0\n");
    }
}
