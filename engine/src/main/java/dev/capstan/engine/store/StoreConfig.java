package dev.capstan.engine.store;

import java.util.List;
import java.util.Objects;

/**
 * How {@link HazelcastStateStore#embedded(StoreConfig)} starts its Hazelcast member. Always: multicast,
 * cloud auto-detection and phone-home off, logging through SLF4J, Jet off, bounded graceful shutdown
 * (10 s), no JVM shutdown hook (close the store). A lone member starts at once; a member with peers in
 * its join list waits about a second for them.
 *
 * @param clusterName  members join only a cluster of the same name (default {@code capstan})
 * @param bindAddress  the address the member binds and advertises (default {@code 127.0.0.1})
 * @param port         first port tried; the next free one is taken when it is busy (default 5701)
 * @param members      TCP-IP join list, {@code host:port} each (no port ranges); empty means just this
 *                     member. Multicast and auto-detection are always off.
 * @param backupCount  synchronous backups of every map (default 1)
 */
public record StoreConfig(String clusterName, String bindAddress, int port, List<String> members, int backupCount) {

    public static final String DEFAULT_CLUSTER = "capstan";
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701;

    public StoreConfig {
        Objects.requireNonNull(clusterName, "clusterName");
        bindAddress = bindAddress == null || bindAddress.isBlank() ? DEFAULT_BIND_ADDRESS : bindAddress;
        members = members == null ? List.of() : List.copyOf(members);
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (backupCount < 0 || backupCount > 6) {
            throw new IllegalArgumentException("backupCount must be 0..6, was " + backupCount);
        }
        for (String m : members) {
            if (m.matches(".*:\\d+-\\d+")) {
                throw new IllegalArgumentException("port ranges are not supported in the join list: " + m);
            }
        }
    }

    /** One member alone on 127.0.0.1:5701, cluster {@code capstan}, one backup. */
    public static StoreConfig defaults() {
        return new StoreConfig(DEFAULT_CLUSTER, DEFAULT_BIND_ADDRESS, DEFAULT_PORT, List.of(), 1);
    }

    public StoreConfig withClusterName(String name) {
        return new StoreConfig(name, bindAddress, port, members, backupCount);
    }

    public StoreConfig withBindAddress(String address) {
        return new StoreConfig(clusterName, address, port, members, backupCount);
    }

    public StoreConfig withPort(int p) {
        return new StoreConfig(clusterName, bindAddress, p, members, backupCount);
    }

    public StoreConfig withMembers(List<String> m) {
        return new StoreConfig(clusterName, bindAddress, port, m, backupCount);
    }

    public StoreConfig withBackupCount(int b) {
        return new StoreConfig(clusterName, bindAddress, port, members, b);
    }
}
