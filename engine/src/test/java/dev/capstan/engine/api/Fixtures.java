package dev.capstan.engine.api;

import dev.capstan.model.Condition;
import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Namespace;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.Service;
import java.util.List;
import java.util.Map;

/** Small objects for API tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Namespace namespace(String name) {
        return new Namespace(ObjectMeta.of(null, name));
    }

    public static Pod pod(String ns, String name, String node, Map<String, String> labels) {
        Container c = new Container("main", "capstan.local/busybox:1.35", List.of("sleep", "3600"), null, null,
                null, null, null);
        return new Pod(ObjectMeta.of(ns, name).withLabels(labels), new PodSpec(List.of(c), node, "Always", null,
                null, true), Pod.Status.pending(List.of(), null, null));
    }

    /** A pod whose one container runs and is ready, on {@code node} with address {@code ip}. */
    public static Pod running(Pod p, String ip) {
        Pod.ContainerStatus cs = new Pod.ContainerStatus("main", true, 0, Pod.State.running("2025-01-01T00:00:00Z"),
                null, "capstan.local/busybox:1.35", "proc://1", true);
        return p.withStatus(new Pod.Status(Pod.RUNNING, List.of(Condition.of("Ready", true, null, null)), null,
                null, "127.0.0.1", ip, "2025-01-01T00:00:00Z", List.of(cs)));
    }

    public static Node node(String name, boolean ready) {
        Node.NodeInfo info = new Node.NodeInfo("process://1", "v1.32.0-capstan", "linux", "amd64", "Debian", "6.1",
                null, null, null, null);
        return new Node(ObjectMeta.of(null, name).withLabel("node-role.kubernetes.io/worker", ""),
                new Node.Spec(null, null), new Node.Status(Map.of("cpu", "2", "memory", "4Gi"), null,
                List.of(Condition.of("Ready", ready, "AgentReady", null)),
                List.of(new Node.Address("InternalIP", "127.0.0.1")), info));
    }

    public static Deployment deployment(String ns, String name, int replicas, int ready) {
        Map<String, String> sel = Map.of("app", name);
        Container c = new Container("main", "capstan.local/" + name + ":1.0", null, null, null, null, null, null);
        PodTemplateSpec t = new PodTemplateSpec(ObjectMeta.of(null, null).withLabels(sel),
                new PodSpec(List.of(c), null, null, null, null, null));
        return new Deployment(ObjectMeta.of(ns, name), new Deployment.Spec(replicas, new LabelSelector(sel), t, null),
                new Deployment.Status(1L, replicas, replicas, ready, ready, null));
    }

    public static Service service(String ns, String name, String ip, int port) {
        return new Service(ObjectMeta.of(ns, name), new Service.Spec(Map.of("app", name),
                List.of(new Service.Port("http", port, "http", "TCP")), ip, "ClusterIP"));
    }
}
