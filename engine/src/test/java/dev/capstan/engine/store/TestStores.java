package dev.capstan.engine.store;

import ch.qos.logback.classic.Level;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.LoggerFactory;

/** Real embedded Hazelcast stores for tests: a cluster of its own, a random port, quiet logs. */
public final class TestStores {
    static {
        quietLogging();
    }

    private TestStores() {
    }

    /** A lone member in a cluster nobody else joins; close it (it shuts the member down). */
    public static HazelcastStateStore start() {
        return HazelcastStateStore.embedded(config());
    }

    public static StoreConfig config() {
        return StoreConfig.defaults()
                .withClusterName("capstan-test-" + UUID.randomUUID())
                .withPort(20000 + ThreadLocalRandom.current().nextInt(20000));
    }

    public static void quietLogging() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.INFO);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.hazelcast")).setLevel(Level.WARN);
    }
}
