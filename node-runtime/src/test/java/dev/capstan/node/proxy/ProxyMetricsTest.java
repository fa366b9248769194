package dev.capstan.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The proxy's counters as Prometheus text. */
class ProxyMetricsTest {

    @Test
    void theNettyProxysCountersAfterARealConnection() throws IOException {
        try (ProxyTable table = ProxyTable.create(1, Duration.ofSeconds(2)); Backend a = new Backend("a")) {
            String vip = "127.77.201.7";
            int port = Backend.freePort(vip);
            table.apply(List.of(new Proxier.Target("demo/web", vip, port, List.of(a.address()))));
            try (Client c = new Client(vip, port)) {
                assertThat(c.greeting).isEqualTo("a");
            }
            String text = ProxyMetrics.render(table).text();
            assertThat(text).contains("capstan_proxy_service_addresses{mode=\"netty\"} 1\n",
                    "# TYPE capstan_proxy_connections_total counter\n",
                    "capstan_proxy_connections_total{mode=\"netty\",service=\"demo/web\"} 1\n",
                    "capstan_proxy_endpoint_failures_total{mode=\"netty\",service=\"demo/web\"} 0\n",
                    "# TYPE capstan_proxy_connections_open gauge\n");
        }
    }

    @Test
    void figuresAModeDoesNotTrackAreLeftOutAndLabelsAreEscaped() {
        Proxier fake = new Proxier() {
            @Override
            public String mode() {
                return "nftables";
            }

            @Override
            public Proxier defaultBalance(Balance b) {
                return this;
            }

            @Override
            public void apply(Collection<Target> targets) {
            }

            @Override
            public Map<String, String> listening() {
                return Map.of();
            }

            @Override
            public Map<String, ServiceCounters.Snapshot> counters() {
                return Map.of("a/\"b\"", new ServiceCounters.Snapshot(5, -1, -1, 2, -1));
            }

            @Override
            public void close() {
            }
        };
        String text = ProxyMetrics.render(fake).text();
        assertThat(text).contains("capstan_proxy_connections_total{mode=\"nftables\",service=\"a/\\\"b\\\"\"} 5\n",
                "capstan_proxy_dropped_total{mode=\"nftables\",service=\"a/\\\"b\\\"\"} 2\n")
                .doesNotContain("connections_open", "endpoint_failures", "drained");
    }
}
