package dev.capstan.node.runtime;

import java.util.List;

/**
 * The resolver a pod's containers get, as CRI's {@code DNSConfig}: name servers (addresses, port 53), search
 * domains and resolver options ({@code ndots:5}). The CRI runtime hands it to containerd, which writes the
 * sandbox's {@code /etc/resolv.conf} from it; the process runtime cannot give a host process its own resolver
 * and ignores it (the agent passes the same facts as environment variables).
 */
public record PodDns(List<String> servers, List<String> searches, List<String> options) {
    public PodDns {
        servers = List.copyOf(servers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }
}
