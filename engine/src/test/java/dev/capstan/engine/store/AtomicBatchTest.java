package dev.capstan.engine.store;

import static dev.capstan.engine.store.HazelcastStateStoreTest.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link StateStore#commit}: all writes of a batch or none, and never while a reconcile holds the gate. */
class AtomicBatchTest {
    private static HazelcastStateStore store;
    private static final AtomicInteger NS = new AtomicInteger();

    @BeforeAll
    static void startMember() {
        store = TestStores.start();
    }

    @AfterAll
    static void stopMember() {
        store.close();
    }

    private static String ns() {
        return "batch" + NS.incrementAndGet();
    }

    @Test
    void aBatchCreatesUpdatesAndDeletesTogether() {
        String ns = ns();
        List<String> events = new CopyOnWriteArrayList<>();
        // the watch is opened first: Hazelcast delivers entry events asynchronously, so a watch opened just
        // after a write may still be told of it (watchers reconcile; this test counts events exactly)
        try (Watch w = store.watch(Kinds.POD, e -> {
            if (ns.equals(e.object().metadata().namespace())) {
                events.add(e.type() + " " + e.object().metadata().name());
            }
        })) {
            Pod a = store.create(pod(ns, "a", "img:1"));
            Pod b = store.create(pod(ns, "b", "img:1"));
            List<KubeObject> out = store.commit(List.of(
                    StoreWrite.create(pod(ns, "c", "img:1")),
                    StoreWrite.update(a.withMetadata(a.metadata().withLabel("v", "2"))),
                    StoreWrite.delete(b)));

            assertThat(out).hasSize(3);
            assertThat(Long.parseLong(out.get(0).metadata().resourceVersion())).isPositive();
            assertThat(store.get(Kinds.POD, ns, "a").orElseThrow().metadata().label("v")).isEqualTo("2");
            assertThat(store.get(Kinds.POD, ns, "b")).isEmpty();
            assertThat(store.get(Kinds.POD, ns, "c")).isPresent();
            // entry events come from Hazelcast's event threads after the commit: wait, and say what came
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events).containsExactlyInAnyOrder(
                    "ADDED a", "ADDED b", "ADDED c", "MODIFIED a", "DELETED b"));
        }
    }

    @Test
    void aConflictAnywhereWritesNothing() {
        String ns = ns();
        Pod a = store.create(pod(ns, "a", "img:1"));
        Pod b = store.create(pod(ns, "b", "img:1"));
        store.update(b.withMetadata(b.metadata().withLabel("someone", "else"))); // b's version is stale now

        assertThatThrownBy(() -> store.commit(List.of(
                StoreWrite.create(pod(ns, "new", "img:1")),
                StoreWrite.update(a.withMetadata(a.metadata().withLabel("v", "2"))),
                StoreWrite.update(b.withMetadata(b.metadata().withLabel("v", "2"))))))
                .isInstanceOf(ConflictException.class);

        assertThat(store.get(Kinds.POD, ns, "new")).as("the create before the conflict is rolled back").isEmpty();
        assertThat(store.get(Kinds.POD, ns, "a").orElseThrow().metadata()).isEqualTo(a.metadata());
        assertThat(store.get(Kinds.POD, ns, "b").orElseThrow().metadata().label("v")).isNull();
    }

    @Test
    void aTakenNameOrAMissingObjectWritesNothing() {
        String ns = ns();
        Pod a = store.create(pod(ns, "a", "img:1"));
        Pod gone = store.create(pod(ns, "gone", "img:1"));
        store.delete(Kinds.POD, ns, "gone", null);

        assertThatThrownBy(() -> store.commit(List.of(StoreWrite.create(pod(ns, "x", "img")),
                StoreWrite.create(pod(ns, "a", "img:2"))))).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> store.commit(List.of(StoreWrite.create(pod(ns, "y", "img")),
                StoreWrite.delete(gone)))).isInstanceOf(NotFoundException.class);

        assertThat(store.list(Kinds.POD, ns)).extracting(p -> p.metadata().name()).containsExactly("a");
        assertThat(store.get(Kinds.POD, ns, "a").orElseThrow().metadata()).isEqualTo(a.metadata());
    }

    @Test
    void aBatchWaitsForARunningReconcileAndNoneStartsDuringIt() throws Exception {
        String ns = ns();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread reconcile = new Thread(() -> {
            try (ReconcileGate.Held h = store.gate().shared()) {
                inside.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reconcile.start();
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean committed = new AtomicBoolean();
        Thread batch = new Thread(() -> {
            store.commit(List.of(StoreWrite.create(pod(ns, "p", "img"))));
            committed.set(true);
        });
        batch.start();
        batch.join(300);
        assertThat(committed).as("the batch waits for the reconcile").isFalse();
        assertThat(store.get(Kinds.POD, ns, "p")).isEmpty();

        release.countDown();
        batch.join(10_000);
        assertThat(committed).isTrue();
        try (ReconcileGate.Held h = store.gate().shared()) {
            assertThat(store.get(Kinds.POD, ns, "p")).isPresent();
        }
        reconcile.join();
    }
}
