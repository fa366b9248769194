package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.store.StateStore;
import dev.capstan.model.Condition;
import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.Kinds;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Lease;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.ReplicaSet;
import dev.capstan.model.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Objects for controller tests. */
final class Fixtures {
    private Fixtures() {
    }

    static PodTemplateSpec template(String app, String image) {
        Container c = new Container("main", image, List.of("run"), null, null,
                List.of(new Container.ContainerPort("http", 8080, null, "TCP")),
                new Container.Resources(Map.of("cpu", "100m", "memory", "32Mi"), null), null);
        return new PodTemplateSpec(ObjectMeta.of(null, null).withLabel("app", app),
                new PodSpec(List.of(c), null, "Always", null, null, true));
    }

    static Deployment deployment(String ns, String name, int replicas, String image, String surge, String unavailable) {
        Deployment.Strategy strategy = new Deployment.Strategy("RollingUpdate",
                new Deployment.RollingUpdate(surge, unavailable));
        return new Deployment(ObjectMeta.of(ns, name), new Deployment.Spec(replicas,
                new LabelSelector(Map.of("app", name)), template(name, image), strategy), null);
    }

    static ReplicaSet replicaSet(String ns, String name, int replicas) {
        return new ReplicaSet(ObjectMeta.of(ns, name), new ReplicaSet.Spec(replicas,
                new LabelSelector(Map.of("app", name)), template(name, "img:1")), null);
    }

    static Node node(String name, String cpu, String memory, boolean ready) {
        Node.Status status = new Node.Status(Map.of("cpu", cpu, "memory", memory, "pods", "110"),
                Map.of("cpu", cpu, "memory", memory, "pods", "110"),
                List.of(Condition.of("Ready", ready, ready ? "NodeReady" : "NodeNotReady", null)), null, null);
        return new Node(ObjectMeta.of(null, name), new Node.Spec(null, null), status);
    }

    static Lease lease(String node, Instant renew) {
        String t = renew.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString();
        return new Lease(ObjectMeta.of(Lease.NODE_LEASE_NAMESPACE, node), new Lease.Spec(node, 10, t, t));
    }

    /** The pod bound to a node, Running, with the given readiness and host IP, as an agent would report it. */
    static Pod running(Pod p, String node, boolean ready) {
        List<Condition> conditions = new ArrayList<>();
        conditions.add(Condition.of("PodScheduled", true, null, null));
        conditions.add(Condition.of("Ready", ready, null, null));
        return p.withSpec(p.spec().withNodeName(node)).withStatus(new Pod.Status(Pod.RUNNING, conditions, null, null,
                "127.0.0.1", null, Times.now(), null));
    }

    static Pod withPhase(Pod p, String phase) {
        Pod.Status s = p.status();
        return p.withStatus(new Pod.Status(phase, s.conditions(), s.message(), s.reason(), s.hostIP(), s.podIP(),
                s.startTime(), s.containerStatuses()));
    }

    static List<Pod> pods(StateStore store, String ns) {
        return store.list(Kinds.POD, ns);
    }

    static List<Pod> livePods(StateStore store, String ns) {
        return store.list(Kinds.POD, ns).stream().filter(PodDeletion::isLive).toList();
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
