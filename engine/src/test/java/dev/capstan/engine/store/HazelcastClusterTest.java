package dev.capstan.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Address;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HazelcastClusterTest {

    @Test
    void twoMembersOnLoopbackShareObjectsWatchesAndResourceVersions() {
        StoreConfig first = TestStores.config();
        try (HazelcastStateStore a = HazelcastStateStore.embedded(first)) {
            Address addr = a.hazelcast().getCluster().getLocalMember().getAddress();
            StoreConfig second = first.withPort(addr.getPort() + 1)
                    .withMembers(List.of(addr.getHost() + ":" + addr.getPort()));
            try (HazelcastStateStore b = HazelcastStateStore.embedded(second)) {
                assertThat(b.hazelcast().getCluster().getMembers()).hasSize(2);
                List<String> seenOnB = new CopyOnWriteArrayList<>();
                b.watch(Kinds.POD, e -> seenOnB.add(e.type() + " " + e.object().key()));

                Pod created = a.create(HazelcastStateStoreTest.pod("shop", "web", "img:1"));
                Pod fromB = b.get(Kinds.POD, "shop", "web").orElseThrow();
                Pod updatedOnB = b.update(fromB.withMetadata(fromB.metadata().withLabel("x", "y")));

                assertThat(fromB).isEqualTo(created);
                assertThat(Long.parseLong(updatedOnB.metadata().resourceVersion()))
                        .isGreaterThan(Long.parseLong(created.metadata().resourceVersion()));
                assertThat(a.resourceVersion()).isEqualTo(updatedOnB.metadata().resourceVersion());
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> seenOnB.equals(List.of("ADDED shop/web", "MODIFIED shop/web")));
            }
            assertThat(a.get(Kinds.POD, "shop", "web")).isPresent();
        }
    }
}
