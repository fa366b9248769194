package dev.capstan.engine.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Address;
import dev.capstan.engine.controller.builtin.ControlPlaneConfig;
import dev.capstan.engine.store.FencedException;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.engine.store.TestStores;
import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Namespace;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.PodSpec;
import dev.capstan.model.PodTemplateSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two real embedded Hazelcast members in one JVM: the oldest leads; when it dies the other takes over. */
class LeaderElectionTest {

    private static HazelcastStateStore join(HazelcastStateStore first) {
        Address addr = first.hazelcast().getCluster().getLocalMember().getAddress();
        StoreConfig second = TestStores.config().withClusterName(first.hazelcast().getConfig().getClusterName())
                .withPort(addr.getPort() + 1).withMembers(List.of(addr.getHost() + ":" + addr.getPort()));
        return HazelcastStateStore.embedded(second);
    }

    private static Deployment deployment(String ns, String name) {
        Container c = new Container("main", "img:1", List.of("run"), null, null, null, null, null);
        return new Deployment(ObjectMeta.of(ns, name), new Deployment.Spec(1, new LabelSelector(Map.of("app", name)),
                new PodTemplateSpec(ObjectMeta.of(null, null).withLabel("app", name),
                        new PodSpec(List.of(c), null, "Always", null, null, true)), null), null);
    }

    @Test
    void theOldestMemberLeadsAndTheOtherTakesOverWithANewTermWhenItDies() {
        ControlPlaneConfig config = ControlPlaneConfig.defaults().withResyncPeriod(Duration.ofSeconds(5));
        HazelcastStateStore a = TestStores.start();
        try (HazelcastStateStore b = join(a);
             LeaderControlPlane onA = LeaderControlPlane.start(a, config);
             LeaderControlPlane onB = LeaderControlPlane.start(b, config)) {
            assertThat(b.hazelcast().getCluster().getMembers()).hasSize(2);
            long first = onA.election().term();
            assertThat(onA.election().isLeader()).isTrue();
            assertThat(onB.election().isLeader()).isFalse();
            assertThat(onA.controllers()).isPresent();
            assertThat(onB.controllers()).as("only the leader runs controllers").isEmpty();
            assertThat(b.currentTerm()).isEqualTo(first);

            HazelcastStateStore oldLeaderView = b.fenced(first); // what the old leader's writes carry
            oldLeaderView.create(new Namespace(ObjectMeta.of(null, "before")));

            a.hazelcast().getLifecycleService().terminate(); // the leader dies without a word

            await().atMost(Duration.ofSeconds(60)).until(() -> onB.election().isLeader());
            long second = onB.election().term();
            assertThat(second).isGreaterThan(first);
            assertThat(b.currentTerm()).isEqualTo(second);
            assertThat(b.get(Kinds.NAMESPACE, null, "before")).as("the backup kept the data").isPresent();

            assertThatThrownBy(() -> oldLeaderView.create(new Namespace(ObjectMeta.of(null, "after"))))
                    .isInstanceOf(FencedException.class)
                    .hasMessage("write refused: leader term " + first + " was superseded by term " + second
                            + " (this member is no longer the leader)");
            assertThatThrownBy(() -> oldLeaderView.delete(Kinds.NAMESPACE, null, "before", null))
                    .isInstanceOf(FencedException.class);
            assertThat(b.get(Kinds.NAMESPACE, null, "after")).isEmpty();
            assertThat(b.get(Kinds.NAMESPACE, null, "before")).isPresent();

            // the new leader's controllers do the work now (they start just after it becomes leader)
            await().atMost(Duration.ofSeconds(30)).until(() -> onB.controllers().isPresent());
            b.create(deployment("shop", "web"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> b.list(Kinds.REPLICA_SET, "shop").size() == 1);
        } finally {
            a.close();
        }
    }

    @Test
    void aLoneMemberLeadsAtOnceAndStopsLeadingWhenClosed() {
        try (HazelcastStateStore store = TestStores.start()) {
            long before = store.currentTerm();
            LeaderControlPlane cp = LeaderControlPlane.start(store, ControlPlaneConfig.defaults());
            assertThat(cp.election().isLeader()).isTrue();
            assertThat(cp.election().term()).isEqualTo(before + 1);
            assertThat(cp.controllers()).isPresent();
            cp.close();
            assertThat(cp.election().isLeader()).isFalse();
            assertThat(cp.controllers()).isEmpty();
            assertThat(store.fenced(store.currentTerm()).create(new Namespace(ObjectMeta.of(null, "ok")))
                    .metadata().name()).isEqualTo("ok");
        }
    }
}
