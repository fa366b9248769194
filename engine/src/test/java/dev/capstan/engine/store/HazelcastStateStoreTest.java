package dev.capstan.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.model.Condition;
import dev.capstan.model.Container;
import dev.capstan.model.Kinds;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HazelcastStateStoreTest {
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
        return "ns" + NS.incrementAndGet();
    }

    static Pod pod(String ns, String name, String image) {
        Container c = new Container("main", image, List.of("run"), null, null, null, null, null);
        return new Pod(ObjectMeta.of(ns, name), new PodSpec(List.of(c), null, null, null, null, null), null);
    }

    @Test
    void createFillsUidResourceVersionTimestampAndGeneration() {
        String ns = ns();
        Pod created = store.create(pod(ns, "web", "img:1"));

        ObjectMeta m = created.metadata();
        assertThat(m.uid()).hasSize(36);
        assertThat(Long.parseLong(m.resourceVersion())).isPositive();
        assertThat(m.generation()).isEqualTo(1L);
        assertThat(m.creationTimestamp()).isNotNull();
        assertThat(store.get(Kinds.POD, ns, "web")).contains(created);
        assertThat(store.resourceVersion()).isEqualTo(m.resourceVersion());
    }

    @Test
    void createWithGenerateNameAppendsFiveLowercaseAlphanumerics() {
        String ns = ns();
        Pod p = pod(ns, null, "img:1");
        p = p.withMetadata(new ObjectMeta(null, ns, null, null, null, null, null, null, null, null, "web-"));

        Pod a = store.create(p);
        Pod b = store.create(p);

        assertThat(a.metadata().name()).matches("web-[a-z0-9]{5}");
        assertThat(b.metadata().name()).isNotEqualTo(a.metadata().name());
        assertThat(store.list(Kinds.POD, ns)).hasSize(2);
    }

    @Test
    void createRefusesATakenNameAndAMissingNamespace() {
        String ns = ns();
        store.create(pod(ns, "web", "img:1"));

        assertThatThrownBy(() -> store.create(pod(ns, "web", "img:2")))
                .isInstanceOf(AlreadyExistsException.class).hasMessage("pods \"web\" already exists");
        assertThatThrownBy(() -> store.create(pod(null, "web", "img:2")))
                .isInstanceOf(StoreException.class).hasMessageContaining("namespace is required");
    }

    @Test
    void clusterScopedObjectsAreKeyedByNameAlone() {
        Node n = store.create(new Node(ObjectMeta.of("ignored", "node-" + ns()), null, null));

        assertThat(n.metadata().namespace()).isNull();
        assertThat(n.key()).doesNotContain("/");
        assertThat(store.get(Kinds.NODE, null, n.metadata().name())).contains(n);
    }

    @Test
    void updateIsCompareAndSetOnResourceVersion() {
        String ns = ns();
        Pod created = store.create(pod(ns, "web", "img:1"));

        Pod first = store.update(created.withMetadata(created.metadata().withLabel("a", "1")));
        assertThatThrownBy(() -> store.update(created.withMetadata(created.metadata().withLabel("b", "2"))))
                .isInstanceOf(ConflictException.class).hasMessageContaining("has been modified");

        assertThat(Long.parseLong(first.metadata().resourceVersion()))
                .isGreaterThan(Long.parseLong(created.metadata().resourceVersion()));
        assertThat(store.get(Kinds.POD, ns, "web").orElseThrow().metadata().labels()).containsOnlyKeys("a");
    }

    @Test
    void updateOfAMissingObjectOrWithoutResourceVersionFails() {
        String ns = ns();
        Pod p = pod(ns, "ghost", "img:1");
        assertThatThrownBy(() -> store.update(p.withMetadata(p.metadata().withResourceVersion("1"))))
                .isInstanceOf(NotFoundException.class).hasMessage("pods \"ghost\" not found");
        store.create(p);
        assertThatThrownBy(() -> store.update(p)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("resourceVersion is required");
    }

    @Test
    void generationCountsSpecChangesOnly() {
        String ns = ns();
        Pod v1 = store.create(pod(ns, "web", "img:1"));

        Pod labelled = store.update(v1.withMetadata(v1.metadata().withLabel("tier", "web")));
        Pod withStatus = store.update(labelled.withStatus(Pod.Status.pending(
                List.of(Condition.of("PodScheduled", false, "Unschedulable", "no nodes")), null, null)));
        Pod newImage = store.update(withStatus.withSpec(pod(ns, "web", "img:2").spec()));

        assertThat(labelled.metadata().generation()).isEqualTo(1L);
        assertThat(withStatus.metadata().generation()).isEqualTo(1L);
        assertThat(newImage.metadata().generation()).isEqualTo(2L);
    }

    @Test
    void updateKeepsUidCreationTimestampAndDeletionTimestamp() {
        String ns = ns();
        Pod v1 = store.create(pod(ns, "web", "img:1"));
        Pod marked = store.update(v1.withMetadata(v1.metadata().withDeletionTimestamp("2030-01-01T00:00:00Z")));

        ObjectMeta forged = marked.metadata().withUid("forged").withCreationTimestamp("1970-01-01T00:00:00Z")
                .withDeletionTimestamp(null).withLabel("x", "y");
        Pod after = store.update(marked.withMetadata(forged));

        assertThat(after.metadata().uid()).isEqualTo(v1.metadata().uid());
        assertThat(after.metadata().creationTimestamp()).isEqualTo(v1.metadata().creationTimestamp());
        assertThat(after.metadata().deletionTimestamp()).isEqualTo("2030-01-01T00:00:00Z");
    }

    @Test
    void anUpdateThatChangesNothingIsNotWritten() {
        String ns = ns();
        Pod v1 = store.create(pod(ns, "web", "img:1"));

        Pod same = store.update(v1);

        assertThat(same.metadata().resourceVersion()).isEqualTo(v1.metadata().resourceVersion());
    }

    @Test
    void concurrentReadModifyWriteLoopsLoseNoUpdate() throws Exception {
        String ns = ns();
        store.create(pod(ns, "counter", "img:1").withMetadata(ObjectMeta.of(ns, "counter").withLabel("n", "0")));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    while (true) {
                        Pod cur = store.get(Kinds.POD, ns, "counter").orElseThrow();
                        int n = Integer.parseInt(cur.metadata().label("n"));
                        try {
                            store.update(cur.withMetadata(cur.metadata().withLabel("n", Integer.toString(n + 1))));
                            break;
                        } catch (ConflictException retry) {
                            // someone else won; read again
                        }
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(store.get(Kinds.POD, ns, "counter").orElseThrow().metadata().label("n")).isEqualTo("100");
    }

    @Test
    void resourceVersionsAreUniqueAndIncreaseAcrossKindsAndThreads() throws Exception {
        String ns = ns();
        List<Long> versions = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                long last = 0;
                for (int i = 0; i < 20; i++) {
                    long rv = Long.parseLong((i % 2 == 0
                            ? store.create(pod(ns, "p" + thread + "-" + i, "img"))
                            : store.create(new Node(ObjectMeta.of(null, ns + "-n" + thread + "-" + i), null, null)))
                            .metadata().resourceVersion());
                    assertThat(rv).isGreaterThan(last);
                    last = rv;
                    versions.add(rv);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(versions).doesNotHaveDuplicates().hasSize(80);
        assertThat(Long.parseLong(store.resourceVersion())).isGreaterThanOrEqualTo(Collections.max(versions));
    }

    @Test
    void deleteIsOptionallyConditional() {
        String ns = ns();
        Pod p = store.create(pod(ns, "web", "img:1"));

        assertThatThrownBy(() -> store.delete(Kinds.POD, ns, "web", "1"))
                .isInstanceOf(ConflictException.class);
        assertThat(store.delete(Kinds.POD, ns, "web", p.metadata().resourceVersion())).isTrue();
        assertThat(store.delete(Kinds.POD, ns, "web", null)).isFalse();
        assertThat(store.get(Kinds.POD, ns, "web")).isEmpty();
    }

    @Test
    void listsOneNamespaceOrAllSortedByKey() {
        String a = ns();
        String b = ns();
        store.create(pod(a, "z", "img"));
        store.create(pod(a, "y", "img"));
        store.create(pod(b, "x", "img"));

        assertThat(store.list(Kinds.POD, a)).extracting(p -> p.metadata().name()).containsExactly("y", "z");
        assertThat(store.list(Kinds.POD, null)).extracting(Pod::key).contains(a + "/y", a + "/z", b + "/x");
    }

    @Test
    void watchReportsAddedModifiedDeletedInOrderWithValues() {
        String ns = ns();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Watch w = store.watch(Kinds.POD, e -> {
            if (e.object().metadata().namespace().equals(ns)) {
                seen.add(e.type() + " " + e.object().metadata().label("v"));
            }
        })) {
            Pod p = store.create(pod(ns, "web", "img").withMetadata(ObjectMeta.of(ns, "web").withLabel("v", "0")));
            for (int i = 1; i <= 20; i++) {
                p = store.update(p.withMetadata(p.metadata().withLabel("v", Integer.toString(i))));
            }
            store.delete(Kinds.POD, ns, "web", null);

            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 22);
            List<String> expected = new ArrayList<>();
            expected.add("ADDED 0");
            for (int i = 1; i <= 20; i++) {
                expected.add("MODIFIED " + i);
            }
            expected.add("DELETED 20");
            assertThat(seen).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aClosedWatchReportsNothing() throws Exception {
        String ns = ns();
        List<String> seen = new CopyOnWriteArrayList<>();
        Watch w = store.watch(Kinds.POD, e -> seen.add(e.object().key()));
        w.close();
        w.close();
        store.create(pod(ns, "late", "img"));
        Thread.sleep(200);
        assertThat(seen).isEmpty();
    }

    @Test
    void objectsRoundTripThroughJson() {
        String ns = ns();
        Pod p = pod(ns, "web", "img").withMetadata(ObjectMeta.of(ns, "web").withLabels(Map.of("a", "b")));
        Pod created = store.create(p);
        assertThat(created.spec()).isEqualTo(p.spec());
        assertThat(created.metadata().labels()).isEqualTo(Map.of("a", "b"));
    }
}
