/**
 * The cluster DNS server: answers {@code <service>.<namespace>.svc.<domain>} with the Service's cluster IP and
 * SRV records for its named ports, from the Services the API serves (Netty's DNS codec, UDP and TCP).
 */
package dev.capstan.node.dns;
