package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.controller.Controller;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.Result;
import dev.capstan.engine.store.StateStore;
import dev.capstan.model.Condition;
import dev.capstan.model.Kinds;
import dev.capstan.model.Lease;
import dev.capstan.model.Node;
import dev.capstan.model.Pod;
import dev.capstan.model.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Watches node heartbeats: the Lease {@code capstan-node-lease/<node>} whose {@code spec.renewTime} the
 * agent renews. Silent for longer than {@code gracePeriod}: the node's Ready condition becomes
 * {@code Unknown} (reason {@value #NODE_STATUS_UNKNOWN}), its pods' Ready conditions False, and a
 * {@code NodeNotReady} event is recorded. Silent for {@code evictionDelay} more: its pods are deleted
 * outright (the agent is gone, nobody would finish a graceful deletion) so their ReplicaSets replace them
 * on other nodes. A renewed lease makes the node Ready again. Key: the node name.
 */
public final class NodeLifecycleController implements Controller {
    public static final String COMPONENT = "node-controller";
    public static final String NODE_STATUS_UNKNOWN = "NodeStatusUnknown";
    private static final Duration SLACK = Duration.ofMillis(50);

    private final StateStore store;
    private final EventRecorder events;
    private final Clock clock;
    private final Duration gracePeriod;
    private final Duration evictionDelay;

    public NodeLifecycleController(StateStore store, EventRecorder events, Clock clock, Duration gracePeriod,
                                   Duration evictionDelay) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.gracePeriod = gracePeriod;
        this.evictionDelay = evictionDelay;
    }

    @Override
    public String name() {
        return "node-lifecycle";
    }

    @Override
    public void watches(Watches w) {
        w.on(Kinds.NODE, e -> List.of(e.object().metadata().name()));
        w.on(Kinds.LEASE, e -> Lease.NODE_LEASE_NAMESPACE.equals(e.object().metadata().namespace())
                ? List.of(e.object().metadata().name()) : List.of());
    }

    @Override
    public Collection<String> resyncKeys() {
        return store.list(Kinds.NODE, null).stream().map(n -> n.metadata().name()).toList();
    }

    @Override
    public Result reconcile(String nodeName) {
        Node node = store.get(Kinds.NODE, null, nodeName).orElse(null);
        if (node == null) {
            return Result.done();
        }
        Lease lease = store.get(Kinds.LEASE, Lease.NODE_LEASE_NAMESPACE, nodeName).orElse(null);
        Instant now = clock.instant();
        Instant heard = lastHeard(node, lease, now);
        Duration silent = Duration.between(heard, now);
        Condition ready = readyCondition(node);

        if (silent.compareTo(gracePeriod) <= 0) {
            if (ready != null && "Unknown".equals(ready.status()) && NODE_STATUS_UNKNOWN.equals(ready.reason())) {
                setReady(node, new Condition("Ready", "True", "NodeReady", "node agent is posting status again",
                        Times.format(now), ready.lastHeartbeatTime()));
                events.normal(node, "NodeReady", "Node " + nodeName + " status is now: NodeReady");
            }
            return Result.requeueAfter(Duration.between(now, heard.plus(gracePeriod)).plus(SLACK));
        }
        if (ready == null || !"Unknown".equals(ready.status())) {
            setReady(node, new Condition("Ready", "Unknown", NODE_STATUS_UNKNOWN,
                    "node agent stopped posting status", Times.format(now),
                    ready == null ? null : ready.lastHeartbeatTime()));
            events.warning(node, "NodeNotReady", "Node " + nodeName
                    + " status is now: NodeNotReady (node agent stopped posting status)");
        }
        List<Pod> pods = podsOn(nodeName);
        if (silent.compareTo(gracePeriod.plus(evictionDelay)) <= 0) {
            markPodsNotReady(nodeName, pods, now);
            return Result.requeueAfter(Duration.between(now, heard.plus(gracePeriod).plus(evictionDelay)).plus(SLACK));
        }
        if (!pods.isEmpty()) {
            events.warning(node, "DeletingAllPods", "Deleting all Pods from Node " + nodeName + ".");
            for (Pod p : pods) {
                PodDeletion.forceDelete(store, p);
                events.warning(p, "NodeControllerEviction", "Deleted pod from unreachable node " + nodeName);
            }
        }
        return Result.requeueAfter(gracePeriod);
    }

    private Instant lastHeard(Node node, Lease lease, Instant now) {
        if (lease != null && lease.spec() != null) {
            String t = lease.spec().renewTime() != null ? lease.spec().renewTime() : lease.spec().acquireTime();
            if (t != null) {
                return Times.parse(t);
            }
        }
        String created = node.metadata().creationTimestamp();
        return created == null ? now : Times.parse(created);
    }

    private static Condition readyCondition(Node node) {
        if (node.status() == null) {
            return null;
        }
        return node.status().conditions().stream().filter(c -> "Ready".equals(c.type())).findFirst().orElse(null);
    }

    private void setReady(Node node, Condition ready) {
        Node.Status s = node.status() == null ? new Node.Status(null, null, null, null, null) : node.status();
        List<Condition> conditions = new ArrayList<>();
        s.conditions().stream().filter(c -> !"Ready".equals(c.type())).forEach(conditions::add);
        conditions.add(ready);
        store.update(node.withStatus(s.withConditions(conditions)));
    }

    private List<Pod> podsOn(String nodeName) {
        return store.list(Kinds.POD, null).stream().filter(p -> nodeName.equals(p.nodeName())).toList();
    }

    private void markPodsNotReady(String nodeName, List<Pod> pods, Instant now) {
        for (Pod p : pods) {
            if (!p.isReady()) {
                continue;
            }
            List<Condition> conditions = new ArrayList<>();
            p.status().conditions().stream().filter(c -> !"Ready".equals(c.type())).forEach(conditions::add);
            conditions.add(new Condition("Ready", "False", "NodeNotReady", "node " + nodeName
                    + " stopped posting status", Times.format(now), null));
            Pod.Status s = p.status();
            store.update(p.withStatus(new Pod.Status(s.phase(), conditions, s.message(), s.reason(), s.hostIP(),
                    s.podIP(), s.startTime(), s.containerStatuses())));
        }
    }
}
