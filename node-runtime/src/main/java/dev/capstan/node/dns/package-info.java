/**
 * The cluster DNS server: answers {@code <service>.<namespace>.svc.<domain>} with the Service's cluster IP, SRV
 * records for its named ports and PTR for its cluster IP, from the Services the API serves (Netty's DNS codec, UDP
 * and TCP); forwards names outside the cluster to upstream resolvers ({@link dev.capstan.node.dns.DnsForwarder}),
 * caching their answers ({@link dev.capstan.node.dns.DnsCache}) and trying an upstream that timed out last for a
 * while ({@link dev.capstan.node.dns.UpstreamHealth}).
 */
package dev.capstan.node.dns;
