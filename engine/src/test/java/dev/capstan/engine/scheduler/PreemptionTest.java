package dev.capstan.engine.scheduler;

import static dev.capstan.engine.scheduler.PodBuilder.HOST;
import static dev.capstan.engine.scheduler.PodBuilder.cache;
import static dev.capstan.engine.scheduler.PodBuilder.node;
import static dev.capstan.engine.scheduler.PodBuilder.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.api.InMemoryStateStore;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Event;
import dev.capstan.model.Kinds;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Preemption as a table {name, pod, nodes, bound pods, want "node: victims"} plus one run through the scheduler. */
class PreemptionTest {

    record Case(String name, Pod pod, List<Node> nodes, List<Pod> pods, String want) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Pod hog(String name, String node, int priority, String cpu) {
        return pod(name).requests(cpu, "1Gi").priority(priority).on(node).build();
    }

    static Stream<Case> cases() {
        List<Node> two = List.of(node("n1", null), node("n2", null));
        Pod urgent = pod("urgent").requests("2", "1Gi").priority(100).build();
        return Stream.of(
                new Case("nothing of lower priority: no candidate", urgent, two,
                        List.of(hog("a", "n1", 100, "3"), hog("b", "n2", 200, "3")), "none"),
                new Case("the node needing fewest victims wins", urgent, two,
                        List.of(hog("a", "n1", 1, "1300m"), hog("b", "n1", 1, "1300m"), hog("e", "n1", 1, "1300m"),
                                hog("c", "n2", 1, "3")),
                        "n2: c"),
                new Case("lowest priorities are evicted first", urgent, List.of(node("n1", null)),
                        List.of(hog("low", "n1", 1, "1"), hog("mid", "n1", 5, "1"), hog("high", "n1", 9, "1")),
                        "n1: low"),
                new Case("only as many as needed", urgent, List.of(node("n1", null)),
                        List.of(hog("a", "n1", 1, "1"), hog("b", "n1", 2, "1"), hog("c", "n1", 3, "1"),
                                hog("d", "n1", 4, "1")),
                        "n1: a, b"),
                new Case("tie on count goes to lower victim priority", urgent, two,
                        List.of(hog("a", "n1", 7, "3"), hog("b", "n2", 3, "3")), "n2: b"),
                new Case("taints cannot be preempted away", urgent,
                        List.of(node("t", null, "x=y:NoSchedule")), List.of(hog("a", "t", 1, "3")), "none"),
                new Case("evicting the anti-affine pod makes room", pod("web-2").label("app", "web").priority(10)
                        .antiAffinity("app=web", HOST).build(), List.of(node("n1", null)),
                        List.of(pod("web-1").label("app", "web").priority(1).on("n1").build()), "n1: web-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void choosesVictims(Case c) {
        SchedulerCache cluster = cache(c.nodes(), c.pods());
        Profile profile = Profile.defaults();
        Decision d = profile.schedule(c.pod(), cluster, 0);
        assertThat(d.scheduled()).isFalse();
        int before = cluster.podCount();

        Preemption.Candidate got = Preemption.find(c.pod(), profile, cluster, d);

        String text = got == null ? "none" : got.node() + ": "
                + String.join(", ", got.victims().stream().map(PodInfo::name).toList());
        assertThat(text).isEqualTo(c.want());
        assertThat(cluster.podCount()).as("the cache is left as found").isEqualTo(before);
        assertThat(profile.schedule(c.pod(), cluster, 0).scheduled()).isFalse();
    }

    @Test
    void schedulerDeletesVictimsRecordsEventsNominatesAndBindsOnceRoomFrees() {
        InMemoryStateStore store = new InMemoryStateStore();
        Scheduler s = new Scheduler(store, new EventRecorder(store, Scheduler.COMPONENT), Profile.defaults(),
                Binder.of(store), Duration.ofSeconds(30));
        s.resyncKeys();
        s.nodeEvent(new WatchEvent<>(WatchEvent.Type.ADDED, store.create(node("n1", null))));
        List<Pod> low = new ArrayList<>();
        for (String name : List.of("batch-1", "batch-2")) {
            Pod p = store.create(hog(name, "n1", 0, "2"));
            low.add(p);
            s.podEvent(new WatchEvent<>(WatchEvent.Type.ADDED, p));
        }
        Pod urgent = store.create(pod("urgent").requests("2", "1Gi").priority(1000).build());
        s.podEvent(new WatchEvent<>(WatchEvent.Type.ADDED, urgent));

        s.reconcile(urgent.key());

        Pod waiting = store.get(Kinds.POD, "sched", "urgent").orElseThrow();
        assertThat(waiting.nodeName()).isNull();
        assertThat(waiting.metadata().annotation(Scheduler.NOMINATED_NODE)).isEqualTo("n1");
        assertThat(waiting.status().conditions().get(0).message()).isEqualTo(
                "0/1 nodes are available: 1 insufficient cpu. Preempting lower-priority pods on node n1.");
        Pod victim = store.list(Kinds.POD, "sched").stream().filter(p -> p.metadata().deletionTimestamp() != null)
                .findFirst().orElseThrow();
        assertThat(store.list(Kinds.POD, "sched")).filteredOn(p -> p.metadata().deletionTimestamp() != null)
                .hasSize(1);
        assertThat(store.list(Kinds.EVENT, null)).extracting(Event::reason).contains("Preempted");

        s.reconcile(urgent.key()); // the victim is still terminating: no further victims
        assertThat(store.list(Kinds.POD, "sched")).filteredOn(p -> p.metadata().deletionTimestamp() != null)
                .hasSize(1);

        store.delete(Kinds.POD, "sched", victim.metadata().name(), null); // the agent finished it
        assertThat(s.podEvent(new WatchEvent<>(WatchEvent.Type.DELETED, victim))).contains(urgent.key());
        s.reconcile(urgent.key());

        assertThat(store.get(Kinds.POD, "sched", "urgent").orElseThrow().nodeName()).isEqualTo("n1");
    }
}
