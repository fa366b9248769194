package dev.capstan.node.proxy;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What carries a node's service traffic, as kube-proxy's {@code --proxy-mode} chooses: {@link ProxyTable} (Netty, a
 * listener per service address, in user space) or {@link NftablesProxier} (the kernel rewrites each connection's
 * destination, no copy through the process). {@link ServiceProxy} feeds either from the API.
 */
public interface Proxier extends AutoCloseable {

    /**
     * One service port as the proxy serves it.
     *
     * @param service   the Service's key ({@code namespace/name}), for counters
     * @param ip        the virtual address
     * @param port      the service port
     * @param endpoints the ready endpoints, in a stable order
     * @param balance   how to pick among them; null for the proxier's default
     */
    record Target(String service, String ip, int port, List<InetSocketAddress> endpoints, Balance balance) {
        public Target {
            endpoints = List.copyOf(endpoints);
        }

        public Target(String service, String ip, int port, List<InetSocketAddress> endpoints) {
            this(service, ip, port, endpoints, null);
        }
    }

    /** How traffic is carried, for people: {@code netty on epoll}, {@code nftables}. */
    String mode();

    /** The balancing of targets that do not choose their own. */
    Proxier defaultBalance(Balance b);

    /** Makes what is served match the targets; connections already established are left alone. */
    void apply(Collection<Target> targets);

    /** The addresses served now ({@code ip:port}), with the service behind each. */
    Map<String, String> listening();

    /** Counters of every service served so far, by service key. */
    Map<String, ServiceCounters.Snapshot> counters();

    /** The counters of one service, if it was ever served. */
    default Optional<ServiceCounters.Snapshot> counters(String service) {
        return Optional.ofNullable(counters().get(service));
    }

    /** Stops serving every address. Idempotent. */
    @Override
    void close();
}
