package dev.capstan.node.proxy;

import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The service proxy's counters in Prometheus' text exposition format (what {@code GET /metrics} serves), one series
 * per service, labelled with the service and the proxy mode. A figure the mode does not track is left out.
 */
public final class ProxyMetrics {
    private ProxyMetrics() {
    }

    public static String render(Proxier proxier) {
        Map<String, ServiceCounters.Snapshot> counters = proxier.counters();
        String mode = proxier.mode().startsWith("netty") ? "netty" : proxier.mode();
        StringBuilder out = new StringBuilder();
        out.append("# HELP capstan_proxy_service_addresses Service addresses (ip:port) the proxy serves.\n")
                .append("# TYPE capstan_proxy_service_addresses gauge\n")
                .append("capstan_proxy_service_addresses{mode=\"").append(mode).append("\"} ")
                .append(proxier.listening().size()).append('\n');
        series(out, counters, mode, "capstan_proxy_connections_total", "counter",
                "Client connections to a service's addresses.", ServiceCounters.Snapshot::connections);
        series(out, counters, mode, "capstan_proxy_connections_open", "gauge",
                "Client connections open now.", ServiceCounters.Snapshot::active);
        series(out, counters, mode, "capstan_proxy_endpoint_failures_total", "counter",
                "Connections to an endpoint that failed (each failed over to the next endpoint).",
                ServiceCounters.Snapshot::failures);
        series(out, counters, mode, "capstan_proxy_dropped_total", "counter",
                "Client connections refused or closed because no endpoint could be reached.",
                ServiceCounters.Snapshot::dropped);
        series(out, counters, mode, "capstan_proxy_drained_total", "counter",
                "Connections to a removed endpoint closed when the drain timeout ran out.",
                ServiceCounters.Snapshot::drained);
        return out.toString();
    }

    private static void series(StringBuilder out, Map<String, ServiceCounters.Snapshot> counters, String mode,
                               String name, String type, String help, ToLongFunction<ServiceCounters.Snapshot> value) {
        boolean header = false;
        for (Map.Entry<String, ServiceCounters.Snapshot> e : counters.entrySet()) {
            long v = value.applyAsLong(e.getValue());
            if (v < 0) {
                continue;
            }
            if (!header) {
                out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                        .append("# TYPE ").append(name).append(' ').append(type).append('\n');
                header = true;
            }
            out.append(name).append("{mode=\"").append(mode).append("\",service=\"").append(label(e.getKey()))
                    .append("\"} ").append(v).append('\n');
        }
    }

    /** A label value with {@code \}, {@code "} and newlines escaped. */
    static String label(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
