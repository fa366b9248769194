package dev.capstan.node.agent;

import dev.capstan.node.runtime.PodDns;
import java.util.List;

/**
 * The cluster's DNS server as pods are told about it.
 *
 * @param ip     the server's address (loopback, so every host-network pod reaches it)
 * @param port   its UDP/TCP port; resolv.conf can only name port 53, so on any other port CRI pods keep the
 *               host's resolver and only the environment variables carry it
 * @param domain the cluster domain ({@code cluster.local})
 */
public record ClusterDns(String ip, int port, String domain) {
    /** Environment variable with {@code ip:port} of the server (set in every container). */
    public static final String ENV_SERVER = "CAPSTAN_DNS_SERVER";
    /** Environment variable with the search domains, separated by spaces. */
    public static final String ENV_SEARCH = "CAPSTAN_DNS_SEARCH";

    /** The search path of a pod in {@code namespace}, as Kubernetes' ClusterFirst gives it. */
    public List<String> searches(String namespace) {
        return List.of(namespace + ".svc." + domain, "svc." + domain, domain);
    }

    /** The CRI DNS config of a pod, or null when the server is not on port 53. */
    public PodDns podDns(String namespace) {
        return port == 53 ? new PodDns(List.of(ip), searches(namespace), List.of("ndots:5")) : null;
    }
}
