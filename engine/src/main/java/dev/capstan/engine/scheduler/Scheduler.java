package dev.capstan.engine.scheduler;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.NotFoundException;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Condition;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import dev.capstan.engine.controller.builtin.PodDeletion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places pods on nodes: for each pod with no {@code spec.nodeName}, no deletionTimestamp and not ended, it
 * runs the {@link Profile} (filter → score → pick) over its {@link SchedulerCache} and hands the choice to
 * the {@link Binder} (a compare-and-set write; a conflict just retries). A bound pod gets
 * {@code PodScheduled=True} and a {@code Scheduled} event. A pod that fits nowhere gets
 * {@code PodScheduled=False}, reason {@code Unschedulable}, with the {@link Decision#message()}
 * ({@code 0/3 nodes are available: …}) and a {@code FailedScheduling} event, and waits: it is tried again
 * when the cluster changes (a node added or changed, a pod's resources freed) and, as a fallback, every
 * {@code retryPeriod}. A pod that fits nowhere may preempt pods of lower priority ({@link Preemption}): they are
 * deleted gracefully, each gets a {@code Preempted} event, the pod is annotated with {@link #NOMINATED_NODE},
 * and it is scheduled when their room frees. Run it with one worker: the cache's accounting assumes one decision at a time.
 * Key: the pod's {@code namespace/name}.
 */
public final class Scheduler implements Controller {
    public static final String COMPONENT = "default-scheduler";
    /** Annotation naming the node a preempting pod waits for (Kubernetes' {@code status.nominatedNodeName}). */
    public static final String NOMINATED_NODE = "scheduler.capstan.dev/nominated-node";

    private final StateStore store;
    private final EventRecorder events;
    private final Profile profile;
    private final Binder binder;
    private final Duration retryPeriod;
    private final SchedulerCache cache = new SchedulerCache();
    /** Pods that fit nowhere → the resourceVersion they had when parked (their own status write). */
    private final Map<String, String> parked = new ConcurrentHashMap<>();
    private final Set<String> seenBeforeSync = ConcurrentHashMap.newKeySet();
    private volatile boolean synced;
    private int nextStart;
    private final Map<String, Nomination> nominations = new ConcurrentHashMap<>();
    private final Clock clock;

    public Scheduler(StateStore store, EventRecorder events, Profile profile, Binder binder, Duration retryPeriod) {
        this(store, events, profile, binder, retryPeriod, Clock.systemUTC());
    }

    /** With the clock that dates preemption deletions. */
    public Scheduler(StateStore store, EventRecorder events, Profile profile, Binder binder, Duration retryPeriod,
                     Clock clock) {
        this.clock = clock;
        this.store = store;
        this.events = events;
        this.profile = profile;
        this.binder = binder;
        this.retryPeriod = retryPeriod;
    }

    /** The default profile, binding through the store. */
    public Scheduler(StateStore store, Duration retryPeriod) {
        this(store, new EventRecorder(store, COMPONENT), Profile.defaults(), Binder.of(store), retryPeriod);
    }

    @Override
    public String name() {
        return "scheduler";
    }

    public SchedulerCache cache() {
        return cache;
    }

    /** Keys of pods that fit nowhere and wait for the cluster to change. */
    public Set<String> pending() {
        return Set.copyOf(parked.keySet());
    }

    @Override
    public void watches(Watches w) {
        w.on(Kinds.NODE, this::nodeEvent);
        w.on(Kinds.POD, this::podEvent);
    }

    /** Feeds a node event to the cache; returns the waiting pods when the change may let them fit. */
    public Collection<String> nodeEvent(WatchEvent<Node> e) {
        String name = e.object().metadata().name();
        if (!synced) {
            seenBeforeSync.add("node/" + name);
        }
        if (e.type() == WatchEvent.Type.DELETED) {
            cache.removeNode(name);
            return List.of();
        }
        return cache.upsertNode(e.object()) ? List.copyOf(parked.keySet()) : List.of();
    }

    /** Feeds a pod event to the cache; returns the pod when it needs a node, and the waiting pods when room was freed. */
    public Collection<String> podEvent(WatchEvent<Pod> e) {
        Pod p = e.object();
        String key = p.key();
        if (!synced) {
            seenBeforeSync.add("pod/" + key);
        }
        boolean freed = e.type() == WatchEvent.Type.DELETED ? cache.removePod(p) : cache.updatePod(p);
        List<String> keys = new ArrayList<>();
        if (e.type() == WatchEvent.Type.DELETED) {
            parked.remove(key);
            nominations.remove(key);
        } else if (needsScheduling(p) && !p.metadata().resourceVersion().equals(parked.get(key))) {
            keys.add(key);
        }
        if (freed) {
            keys.addAll(parked.keySet());
        }
        return keys;
    }

    /** Fills the cache from the store once (watch events seen meanwhile win); then lists the pods needing a node. */
    @Override
    public Collection<String> resyncKeys() {
        if (!synced) {
            sync();
        }
        return store.list(Kinds.POD, null).stream().filter(Scheduler::needsScheduling).map(KubeObject::key).toList();
    }

    private synchronized void sync() {
        if (synced) {
            return;
        }
        for (Node n : store.list(Kinds.NODE, null)) {
            if (!seenBeforeSync.contains("node/" + n.metadata().name())) {
                cache.upsertNode(n);
            }
        }
        for (Pod p : store.list(Kinds.POD, null)) {
            if (!seenBeforeSync.contains("pod/" + p.key())) {
                cache.updatePod(p);
            }
        }
        synced = true;
        seenBeforeSync.clear();
    }

    public static boolean needsScheduling(Pod p) {
        return (p.nodeName() == null || p.nodeName().isEmpty()) && p.metadata().deletionTimestamp() == null
                && !p.isTerminal();
    }

    @Override
    public Result reconcile(String key) {
        if (!synced) {
            sync();
        }
        int slash = key.indexOf('/');
        Pod pod = store.get(Kinds.POD, key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        if (pod == null || !needsScheduling(pod)) {
            parked.remove(key);
            return Result.done();
        }
        if (pod.spec() == null || pod.spec().containers().isEmpty()) {
            events.warning(pod, "FailedScheduling", "pod has no containers to run");
            return Result.done();
        }
        Decision d;
        synchronized (cache) {
            d = profile.schedule(pod, cache, nextStart);
            nextStart += d.examined();
        }
        if (!d.scheduled()) {
            String message = d.message();
            String nominated = preemptFor(pod, d);
            if (nominated != null) {
                message += " Preempting lower-priority pods on node " + nominated + ".";
            }
            Pod written = markUnschedulable(pod, message, nominated);
            events.warning(pod, "FailedScheduling", message);
            parked.put(key, written.metadata().resourceVersion());
            return Result.requeueAfter(retryPeriod);
        }
        cache.assume(pod, d.nodeName());
        try {
            binder.bind(pod, d.nodeName());
        } catch (NotFoundException gone) {
            cache.forget(pod);
            parked.remove(key);
            return Result.done();
        } catch (RuntimeException e) {
            cache.forget(pod);
            throw e; // a ConflictException: the pod changed; the runner retries on fresh data
        }
        parked.remove(key);
        nominations.remove(key);
        events.normal(pod, "Scheduled", "Successfully assigned " + key + " to " + d.nodeName());
        return Result.done();
    }

    /**
     * When lower-priority pods stand in the way, deletes the fewest of them gracefully (a {@code Preempted}
     * event on each) and returns the node nominated for the pod; while victims chosen earlier are still
     * terminating, returns that node again without choosing more. Null when preemption cannot help.
     */
    private String preemptFor(Pod pod, Decision d) {
        String key = pod.key();
        Nomination previous = nominations.get(key);
        if (previous != null && previous.victims().stream().anyMatch(cache::contains)) {
            return previous.node();
        }
        Preemption.Candidate c;
        synchronized (cache) {
            c = Preemption.find(pod, profile, cache, d);
        }
        if (c == null) {
            nominations.remove(key);
            return null;
        }
        List<String> victims = new ArrayList<>();
        for (PodInfo v : c.victims()) {
            victims.add(v.key());
            Pod victim = store.get(Kinds.POD, v.namespace(), v.name()).orElse(null);
            if (victim == null) {
                continue;
            }
            try {
                PodDeletion.deleteGracefully(store, victim, clock);
            } catch (NotFoundException gone) {
                continue;
            }
            events.normal(victim, "Preempted", "Preempted by " + key + " on node " + c.node());
        }
        nominations.put(key, new Nomination(c.node(), List.copyOf(victims)));
        return c.node();
    }

    /** The node a preempting pod waits for, and the pods evicted there for it. */
    private record Nomination(String node, List<String> victims) {
    }

    /** Writes PodScheduled=False/Unschedulable with the message, unless the pod already says exactly that. */
    private Pod markUnschedulable(Pod pod, String message, String nominated) {
        if (!java.util.Objects.equals(nominated, pod.metadata().annotation(NOMINATED_NODE))) {
            java.util.Map<String, String> annotations = new java.util.HashMap<>(pod.metadata().annotations());
            if (nominated == null) {
                annotations.remove(NOMINATED_NODE);
            } else {
                annotations.put(NOMINATED_NODE, nominated);
            }
            pod = store.update(pod.withMetadata(pod.metadata().withAnnotations(annotations)));
        }
        Pod.Status s = pod.status() == null ? Pod.Status.pending(null, null, null) : pod.status();
        for (Condition c : s.conditions()) {
            if ("PodScheduled".equals(c.type()) && "False".equals(c.status()) && "Unschedulable".equals(c.reason())
                    && message.equals(c.message())) {
                return pod;
            }
        }
        List<Condition> conditions = new ArrayList<>();
        s.conditions().stream().filter(c -> !"PodScheduled".equals(c.type())).forEach(conditions::add);
        conditions.add(Condition.of("PodScheduled", false, "Unschedulable", message));
        return store.update(pod.withStatus(new Pod.Status(s.phase() == null ? Pod.PENDING : s.phase(),
                conditions, s.message(), s.reason(), s.hostIP(), s.podIP(), s.startTime(), s.containerStatuses())));
    }
}
