package dev.capstan.engine.scheduler;

import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Kinds;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A scheduler over a real store with no watches and no runner: the test adds nodes and pods (fed to the
 * cache as events would be), asks for scheduling passes and reads the bindings the binder recorded, as in
 * Nomad's scheduler harness. Bindings are written to the store too, but the cache hears of them only
 * through its own assumptions.
 */
final class SchedulerHarness {
    final StateStore store;
    final String namespace;
    final Scheduler scheduler;
    final List<String> bindings = new CopyOnWriteArrayList<>();
    volatile BiFunction<Pod, String, Pod> bindHook;

    SchedulerHarness(StateStore store, String namespace) {
        this.store = store;
        this.namespace = namespace;
        Binder real = Binder.of(store);
        Binder recording = (pod, node) -> {
            Pod bound = bindHook != null ? bindHook.apply(pod, node) : real.bind(pod, node);
            bindings.add(pod.metadata().name() + " -> " + node);
            return bound;
        };
        this.scheduler = new Scheduler(store, new EventRecorder(store, Scheduler.COMPONENT), Profile.defaults(),
                recording, Duration.ofSeconds(30));
        scheduler.resyncKeys();
    }

    Node addNode(Node n) {
        Node created = store.create(n);
        scheduler.nodeEvent(new WatchEvent<>(WatchEvent.Type.ADDED, created));
        return created;
    }

    /** Creates the pod (in the harness namespace); returns the keys the scheduler would enqueue. */
    Collection<String> addPod(Pod p) {
        Pod created = store.create(p.withMetadata(p.metadata().withName(p.metadata().name()).withLabels(
                p.metadata().labels())).withMetadata(inNamespace(p.metadata())));
        return scheduler.podEvent(new WatchEvent<>(WatchEvent.Type.ADDED, created));
    }

    Pod pod(String name) {
        return store.get(Kinds.POD, namespace, name).orElseThrow();
    }

    Result schedule(String podName) {
        return scheduler.reconcile(namespace + "/" + podName);
    }

    /** Schedules the pods one after another, as the single scheduling thread would. */
    List<Result> scheduleAll(String... podNames) {
        List<Result> results = new ArrayList<>();
        for (String n : podNames) {
            results.add(schedule(n));
        }
        return results;
    }

    private ObjectMeta inNamespace(ObjectMeta m) {
        return new ObjectMeta(m.name(), namespace, null, m.labels(), m.annotations(), null, null, null, null,
                m.ownerReferences(), m.generateName());
    }
}
