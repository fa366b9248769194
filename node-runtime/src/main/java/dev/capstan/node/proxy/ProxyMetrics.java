package dev.capstan.node.proxy;

import dev.capstan.engine.metrics.MetricsText;
import dev.capstan.engine.metrics.MetricsText.Type;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The service proxy's counters for {@code GET /metrics}, one series per service, labelled with the service and the
 * proxy mode. A figure the mode does not track is left out.
 */
public final class ProxyMetrics {
    private ProxyMetrics() {
    }

    public static MetricsText render(Proxier proxier) {
        Map<String, ServiceCounters.Snapshot> counters = proxier.counters();
        String mode = proxier.mode().startsWith("netty") ? "netty" : proxier.mode();
        MetricsText out = new MetricsText().add("capstan_proxy_service_addresses", Type.GAUGE,
                "Service addresses (ip:port) the proxy serves.", proxier.listening().size(), "mode", mode);
        series(out, counters, mode, "capstan_proxy_connections_total", Type.COUNTER,
                "Client connections to a service's addresses.", ServiceCounters.Snapshot::connections);
        series(out, counters, mode, "capstan_proxy_connections_open", Type.GAUGE,
                "Client connections open now.", ServiceCounters.Snapshot::active);
        series(out, counters, mode, "capstan_proxy_endpoint_failures_total", Type.COUNTER,
                "Connections to an endpoint that failed (each failed over to the next endpoint).",
                ServiceCounters.Snapshot::failures);
        series(out, counters, mode, "capstan_proxy_dropped_total", Type.COUNTER,
                "Client connections refused or closed because no endpoint could be reached.",
                ServiceCounters.Snapshot::dropped);
        series(out, counters, mode, "capstan_proxy_drained_total", Type.COUNTER,
                "Connections to a removed endpoint closed when the drain timeout ran out.",
                ServiceCounters.Snapshot::drained);
        return out;
    }

    private static void series(MetricsText out, Map<String, ServiceCounters.Snapshot> counters, String mode,
                               String name, Type type, String help, ToLongFunction<ServiceCounters.Snapshot> value) {
        counters.forEach((service, snapshot) -> {
            long v = value.applyAsLong(snapshot);
            if (v >= 0) {
                out.add(name, type, help, v, "mode", mode, "service", service);
            }
        });
    }
}
