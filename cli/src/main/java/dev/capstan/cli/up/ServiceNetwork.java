package dev.capstan.cli.up;

import dev.capstan.engine.client.ApiClient;
import dev.capstan.engine.metrics.MetricsText;
import dev.capstan.node.agent.ClusterDns;
import dev.capstan.node.dns.DnsMetrics;
import dev.capstan.node.dns.DnsServer;
import dev.capstan.node.dns.DnsUpstreams;
import dev.capstan.node.proxy.Balance;
import dev.capstan.node.proxy.NftablesProxier;
import dev.capstan.node.proxy.Proxier;
import dev.capstan.node.proxy.ProxyMetrics;
import dev.capstan.node.proxy.ProxyTable;
import dev.capstan.node.proxy.ServiceProxy;
import dev.capstan.node.runtime.RuntimeFailure;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The service side of an all-in-one system: the service proxy ({@code --proxy-mode}, fed from the API), the cluster
 * DNS server it feeds, and what {@code GET /metrics} says of both. {@link #close()} stops the DNS server, then the
 * proxy.
 */
final class ServiceNetwork implements AutoCloseable {
    private final UpOptions.ServiceOptions options;
    private final Consumer<String> say;
    private volatile ServiceProxy proxy;
    private volatile DnsServer dns;

    ServiceNetwork(UpOptions.ServiceOptions options, Consumer<String> say) {
        this.options = options;
        this.say = say;
    }

    /**
     * Starts the proxy over {@code api}, then the DNS server; returns what pods are told of the DNS server (null
     * when it is off or could not start: that is a warning, not a failure).
     *
     * @throws RuntimeFailure when {@code --proxy-mode nftables} cannot be used here
     */
    ClusterDns start(ApiClient api) throws RuntimeFailure {
        Proxier table = proxier(options.proxyMode());
        table.defaultBalance(Balance.parse(options.balance()));
        proxy = ServiceProxy.start(api, table, Duration.ofSeconds(10));
        say.accept("service proxy (" + table.mode() + ", " + options.balance() + ") forwards each "
                + "service's cluster IP and port to its ready pods");
        return startDns();
    }

    ServiceProxy proxy() {
        return proxy;
    }

    DnsServer dns() {
        return dns;
    }

    /** What {@code GET /metrics} serves: the service proxy's and the cluster DNS server's counters. */
    String metrics() {
        MetricsText text = new MetricsText();
        ServiceProxy p = proxy;
        if (p != null) {
            text.append(ProxyMetrics.render(p.table()));
        }
        DnsServer d = dns;
        if (d != null) {
            text.append(DnsMetrics.render(d.stats()));
        }
        return text.text();
    }

    /** The Netty proxy, or the nftables one ({@code --proxy-mode nftables}: a user error when nft cannot be used). */
    private static Proxier proxier(String mode) throws RuntimeFailure {
        if (mode.equals("nftables")) {
            try {
                return NftablesProxier.start(NftablesProxier.TABLE);
            } catch (IllegalStateException e) {
                throw new RuntimeFailure("--proxy-mode nftables: " + e.getMessage()
                        + " (--proxy-mode netty needs neither)");
            }
        }
        return ProxyTable.create(2, Duration.ofSeconds(2));
    }

    /** The cluster DNS server, fed by the proxy's view of the Services; null when off or it could not start. */
    private ClusterDns startDns() {
        String at = options.dns();
        if (at == null) {
            return null;
        }
        int colon = at.lastIndexOf(':');
        String ip = at.substring(0, colon);
        int port = Integer.parseInt(at.substring(colon + 1));
        String domain = options.domain();
        try {
            try {
                dns = DnsServer.start(new InetSocketAddress(ip, port), domain);
            } catch (RuntimeException e) {
                if (port == 0) {
                    throw e;
                }
                say.accept("cannot listen on " + at + " for DNS (" + e.getMessage() + "); using a free port on " + ip
                        + " (containerd pods then keep the host's resolver; CAPSTAN_DNS_SERVER has the address)");
                dns = DnsServer.start(new InetSocketAddress(ip, 0), domain);
            }
        } catch (RuntimeException e) {
            say.accept("warning: no cluster DNS: cannot listen on " + ip + ": " + e.getMessage());
            return null;
        }
        proxy.addServiceListener(dns::update);
        InetSocketAddress a = dns.address();
        say.accept("cluster DNS on " + a.getAddress().getHostAddress() + ":" + a.getPort() + " answers SERVICE.NAMESPACE.svc."
                + domain + "; " + forwardDns(options.upstream()));
        return new ClusterDns(a.getAddress().getHostAddress(), a.getPort(), domain);
    }

    /** Points the DNS server at its upstreams ({@code --dns-upstream}, else /etc/resolv.conf); says where. */
    private String forwardDns(String spec) {
        List<InetSocketAddress> asked;
        String from;
        if (spec == null) {
            try {
                asked = DnsUpstreams.fromResolvConf(DnsUpstreams.RESOLV_CONF, dns.address());
            } catch (java.io.IOException | RuntimeException e) {
                say.accept("warning: cannot read " + DnsUpstreams.RESOLV_CONF + " (" + e.getMessage() + ")");
                asked = List.of();
            }
            from = " (from " + DnsUpstreams.RESOLV_CONF + ")";
        } else {
            asked = DnsUpstreams.parse(spec);
            from = "";
        }
        List<InetSocketAddress> used = dns.forwardTo(asked, DnsServer.UPSTREAM_TIMEOUT);
        if (used.size() < asked.size()) {
            say.accept("warning: the cluster DNS server does not forward to itself: " + dns.address() + " left out");
        }
        if (used.isEmpty()) {
            return "other names are refused" + (spec == null ? " (no nameserver in " + DnsUpstreams.RESOLV_CONF
                    + "; --dns-upstream IP sets one)" : "");
        }
        return "other names go to " + used.stream().map(u -> u.getAddress().getHostAddress() + ":" + u.getPort())
                .collect(java.util.stream.Collectors.joining(", ")) + from;
    }

    @Override
    public void close() {
        DnsServer d = dns;
        if (d != null) {
            d.close();
        }
        ServiceProxy p = proxy;
        if (p != null) {
            p.close();
        }
    }
}
