package dev.capstan.engine.store;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.UUID;

/** Builds the Hazelcast member configuration for {@link HazelcastStateStore#embedded(StoreConfig)}. */
final class HazelcastMembers {
    /** Maps holding Capstan's objects, and the counter map, are all named {@code capstan.*}. */
    static final String MAP_PREFIX = "capstan.";

    private HazelcastMembers() {
    }

    static HazelcastInstance start(StoreConfig sc) {
        return Hazelcast.newHazelcastInstance(config(sc));
    }

    static Config config(StoreConfig sc) {
        Config c = new Config();
        c.setClusterName(sc.clusterName());
        c.setInstanceName("capstan-" + UUID.randomUUID().toString().substring(0, 8));
        List<String> members = sc.members().isEmpty() ? List.of(sc.bindAddress() + ":" + sc.port()) : sc.members();
        boolean alone = members.size() == 1 && isSelf(members.get(0), sc);

        // Nothing may call out: no phone-home, no multicast, no cloud auto-detection.
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        // Quick start: a lone member does not wait for others; a member with peers waits briefly.
        c.setProperty("hazelcast.wait.seconds.before.join", alone ? "0" : "1");
        c.setProperty("hazelcast.max.wait.seconds.before.join", alone ? "0" : "5");
        c.setProperty("hazelcast.tcp.join.port.try.count", "3");
        // Quick, bounded shutdown; split clusters merge within seconds rather than minutes.
        c.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        c.setProperty("hazelcast.local.localAddress", sc.bindAddress());
        c.setProperty("hazelcast.socket.bind.any", "false");

        NetworkConfig n = c.getNetworkConfig();
        n.setPort(sc.port()).setPortAutoIncrement(true).setPortCount(100);
        n.getInterfaces().setEnabled(false);
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true).setMembers(members).setConnectionTimeoutSeconds(2);

        c.addMapConfig(new MapConfig(MAP_PREFIX + "*").setBackupCount(sc.backupCount()).setAsyncBackupCount(0));
        c.getJetConfig().setEnabled(false);
        return c;
    }

    private static boolean isSelf(String member, StoreConfig sc) {
        return member.equals(sc.bindAddress()) || member.equals(sc.bindAddress() + ":" + sc.port());
    }
}
