package dev.capstan.cli;

import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.scheduler.Scheduler;
import dev.capstan.model.Condition;
import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Event;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Node;
import dev.capstan.model.OwnerReference;
import dev.capstan.model.Pod;
import dev.capstan.model.ReplicaSet;
import dev.capstan.model.Service;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The text of {@code capstan describe}, as kubectl lays it out: aligned {@code Field:  value} lines, nested
 * sections, and the object's events last (type, reason, age, from, message). Reads through the API only.
 */
final class Describer {
    private static final int WIDTH = 16;
    private final HttpApiClient api;
    private final Clock clock;

    Describer(HttpApiClient api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    /** The description, or empty when there is no such object. */
    Optional<String> describe(String kind, String namespace, String name) {
        return switch (kind) {
            case "pod" -> api.get(Kinds.POD, namespace, name).map(this::pod);
            case "service" -> api.get(Kinds.SERVICE, namespace, name).map(this::service);
            case "node" -> api.get(Kinds.NODE, null, name).map(this::node);
            case "deployment" -> api.get(Kinds.DEPLOYMENT, namespace, name).map(this::deployment);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private String pod(Pod p) {
        StringBuilder out = new StringBuilder();
        Pod.Status s = p.status();
        field(out, "Name", p.metadata().name());
        field(out, "Namespace", p.metadata().namespace());
        field(out, "Priority", p.spec().priority() == null ? "0" : p.spec().priority().toString());
        field(out, "Node", p.nodeName() == null ? "<none>"
                : p.nodeName() + (s != null && s.hostIP() != null ? "/" + s.hostIP() : ""));
        field(out, "Start Time", s == null || s.startTime() == null ? "<none>" : s.startTime());
        map(out, "Labels", p.metadata().labels());
        map(out, "Annotations", p.metadata().annotations());
        field(out, "Status", p.metadata().deletionTimestamp() != null ? "Terminating" : p.phase());
        if (s != null && s.reason() != null) {
            field(out, "Reason", s.reason());
        }
        if (s != null && s.message() != null) {
            field(out, "Message", s.message());
        }
        field(out, "IP", s == null || s.podIP() == null ? "<none>" : s.podIP());
        OwnerReference owner = p.metadata().controller();
        if (owner != null) {
            field(out, "Controlled By", owner.kind() + "/" + owner.name());
        }
        out.append("Containers:\n");
        for (Container c : p.spec().containers()) {
            containers(out, c, s == null ? null : s.containerStatuses().stream()
                    .filter(cs -> cs.name().equals(c.name())).findFirst().orElse(null));
        }
        List<Condition> conditions = s == null ? List.of() : s.conditions();
        conditions(out, conditions);
        conditions.stream().filter(c -> "PodScheduled".equals(c.type()) && "False".equals(c.status())).findFirst()
                .ifPresent(c -> {
                    field(out, "Scheduling", c.message() == null ? c.reason() : c.message());
                    String nominated = p.metadata().annotation(Scheduler.NOMINATED_NODE);
                    if (nominated != null) {
                        field(out, "Nominated Node", nominated);
                    }
                });
        map(out, "Node-Selectors", p.spec().nodeSelector());
        out.append("Tolerations:").append(p.spec().tolerations().isEmpty() ? "     <none>\n" : "\n");
        p.spec().tolerations().forEach(t -> out.append("  ").append(t.key() == null ? "" : t.key())
                .append(t.value() == null ? "" : "=" + t.value()).append(t.effect() == null ? "" : ":" + t.effect())
                .append(" op=").append(t.operator() == null ? "Equal" : t.operator()).append('\n'));
        events(out, p);
        return out.toString();
    }

    private void containers(StringBuilder out, Container c, Pod.ContainerStatus cs) {
        out.append("  ").append(c.name()).append(":\n");
        sub(out, "Image", c.image());
        String ports = c.ports() == null || c.ports().isEmpty() ? "<none>" : c.ports().stream()
                .map(pt -> pt.containerPort() + "/" + (pt.protocol() == null ? "TCP" : pt.protocol()))
                .collect(Collectors.joining(", "));
        sub(out, "Ports", ports);
        if (cs == null) {
            sub(out, "State", "Waiting");
        } else {
            state(out, "State", cs.state());
            if (cs.lastState() != null) {
                state(out, "Last State", cs.lastState());
            }
            sub(out, "Ready", cs.ready() ? "True" : "False");
            sub(out, "Restart Count", Integer.toString(cs.restartCount()));
        }
        if (c.resources() != null && c.resources().requests() != null && !c.resources().requests().isEmpty()) {
            sub(out, "Requests", new java.util.TreeMap<>(c.resources().requests()).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        }
    }

    private static void state(StringBuilder out, String label, Pod.State st) {
        if (st == null) {
            sub(out, label, "Waiting");
        } else if (st.running() != null) {
            sub(out, label, "Running");
            sub(out, "  Started", st.running().startedAt());
        } else if (st.terminated() != null) {
            sub(out, label, "Terminated");
            sub(out, "  Reason", st.terminated().reason());
            sub(out, "  Exit Code", Integer.toString(st.terminated().exitCode()));
        } else {
            sub(out, label, "Waiting");
            if (st.waiting() != null && st.waiting().reason() != null) {
                sub(out, "  Reason", st.waiting().reason());
            }
        }
    }

    private String service(Service svc) {
        StringBuilder out = new StringBuilder();
        field(out, "Name", svc.metadata().name());
        field(out, "Namespace", svc.metadata().namespace());
        map(out, "Labels", svc.metadata().labels());
        Service.Spec spec = svc.spec();
        field(out, "Selector", spec == null ? "<none>" : join(spec.selector()));
        field(out, "Type", spec == null || spec.type() == null ? "ClusterIP" : spec.type());
        field(out, "IP", spec == null || spec.clusterIP() == null ? "<none>" : spec.clusterIP());
        if (spec != null) {
            for (Service.Port pt : spec.ports()) {
                field(out, "Port", (pt.name() == null ? "<unset>" : pt.name()) + "  " + pt.port() + "/"
                        + (pt.protocol() == null ? "TCP" : pt.protocol()));
                field(out, "TargetPort", pt.targetPort() == null ? String.valueOf(pt.port()) : pt.targetPort());
                if (pt.nodePort() != null) {
                    field(out, "NodePort", (pt.name() == null ? "<unset>" : pt.name()) + "  " + pt.nodePort() + "/"
                            + (pt.protocol() == null ? "TCP" : pt.protocol()));
                }
            }
        }
        Optional<Endpoints> ep = api.get(Kinds.ENDPOINTS, svc.metadata().namespace(), svc.metadata().name());
        List<String> addresses = new ArrayList<>();
        ep.ifPresent(e -> e.subsets().forEach(sub -> sub.addresses().forEach(a -> sub.ports().forEach(
                port -> addresses.add(a.ip() + ":" + port.port())))));
        field(out, "Endpoints", addresses.isEmpty() ? "<none>" : String.join(",", addresses));
        events(out, svc);
        return out.toString();
    }

    private String node(Node n) {
        StringBuilder out = new StringBuilder();
        field(out, "Name", n.metadata().name());
        map(out, "Labels", n.metadata().labels());
        List<Node.Taint> taints = n.spec() == null ? List.of() : n.spec().taints();
        field(out, "Taints", taints.isEmpty() ? "<none>" : taints.stream()
                .map(t -> t.key() + (t.value() == null ? "" : "=" + t.value()) + ":" + t.effect())
                .collect(Collectors.joining(", ")));
        field(out, "Unschedulable", Boolean.toString(!n.isSchedulable()));
        Node.Status s = n.status();
        conditions(out, s == null ? List.of() : s.conditions());
        out.append("Addresses:\n");
        if (s != null) {
            s.addresses().forEach(a -> sub(out, a.type(), a.address()));
            out.append("Capacity:\n");
            new java.util.TreeMap<>(s.capacity()).forEach((k, v) -> sub(out, k, v));
            out.append("Allocatable:\n");
            new java.util.TreeMap<>(s.allocatable()).forEach((k, v) -> sub(out, k, v));
        }
        List<Pod> pods = api.list(Kinds.POD, null, "spec.nodeName=" + n.metadata().name());
        out.append("Non-terminated Pods:  (").append(pods.stream().filter(p -> !p.isTerminal()).count())
                .append(" in total)\n");
        Table t = new Table("  Namespace", "Name", "CPU Requests", "Memory Requests", "Age");
        pods.stream().filter(p -> !p.isTerminal()).sorted(Comparator.comparing(KubeObject::key))
                .forEach(p -> t.row("  " + p.metadata().namespace(), p.metadata().name(), p.spec().cpuMillis() + "m",
                        (p.spec().memoryBytes() >> 20) + "Mi", age(p.metadata().creationTimestamp())));
        table(out, t);
        events(out, n);
        return out.toString();
    }

    private String deployment(Deployment d) {
        StringBuilder out = new StringBuilder();
        field(out, "Name", d.metadata().name());
        field(out, "Namespace", d.metadata().namespace());
        field(out, "CreationTimestamp", String.valueOf(d.metadata().creationTimestamp()));
        map(out, "Labels", d.metadata().labels());
        Deployment.Spec spec = d.spec();
        Deployment.Status st = d.status() == null ? new Deployment.Status(null, 0, 0, 0, 0, null) : d.status();
        field(out, "Selector", spec.selector() == null ? "<none>" : join(spec.selector().matchLabels()));
        field(out, "Replicas", spec.replicas() + " desired | " + st.updatedReplicas() + " updated | "
                + st.replicas() + " total | " + st.availableReplicas() + " available | "
                + Math.max(0, st.replicas() - st.availableReplicas()) + " unavailable");
        String type = spec.strategy() == null || spec.strategy().type() == null ? "RollingUpdate" : spec.strategy().type();
        field(out, "StrategyType", type);
        if ("RollingUpdate".equals(type)) {
            Deployment.RollingUpdate ru = spec.strategy() == null ? null : spec.strategy().rollingUpdate();
            field(out, "RollingUpdateStrategy", orDefault(ru == null ? null : ru.maxUnavailable()) + " max unavailable, "
                    + orDefault(ru == null ? null : ru.maxSurge()) + " max surge");
        }
        field(out, "ProgressDeadline", spec.progressDeadline() + "s");
        field(out, "RevisionHistoryLimit", Integer.toString(spec.historyLimit()));
        conditions(out, st.conditions());
        List<ReplicaSet> sets = api.list(Kinds.REPLICA_SET, d.metadata().namespace(), null).stream()
                .filter(rs -> rs.metadata().controller() != null
                        && d.metadata().uid().equals(rs.metadata().controller().uid()))
                .sorted(Comparator.comparingInt(Describer::revision)).toList();
        ReplicaSet newest = sets.isEmpty() ? null : sets.get(sets.size() - 1);
        List<String> old = sets.stream().filter(rs -> rs != newest && rs.spec().replicas() > 0)
                .map(Describer::replicaSetLine).toList();
        field(out, "OldReplicaSets", old.isEmpty() ? "<none>" : String.join(", ", old));
        field(out, "NewReplicaSet", newest == null ? "<none>" : replicaSetLine(newest));
        Table history = new Table("  Revision", "ReplicaSet", "Replicas", "Image");
        for (ReplicaSet rs : sets) {
            history.row("  " + revision(rs), rs.metadata().name(), Integer.toString(rs.spec().replicas()),
                    rs.spec().template().spec().containers().stream().map(Container::image)
                            .collect(Collectors.joining(",")));
        }
        out.append("Revisions:\n");
        table(out, history);
        events(out, d);
        return out.toString();
    }

    private static String orDefault(String v) {
        return v == null || v.isBlank() ? "25%" : v;
    }

    private static int revision(ReplicaSet rs) {
        String v = rs.metadata().annotation(ReplicaSet.REVISION);
        return v == null || !v.matches("\\d{1,9}") ? 0 : Integer.parseInt(v);
    }

    private static String replicaSetLine(ReplicaSet rs) {
        int created = rs.status() == null ? 0 : rs.status().replicas();
        return rs.metadata().name() + " (" + created + "/" + rs.spec().replicas() + " replicas created)";
    }

    private void conditions(StringBuilder out, List<Condition> conditions) {
        out.append("Conditions:\n");
        if (conditions.isEmpty()) {
            out.append("  <none>\n");
            return;
        }
        Table t = new Table("  Type", "Status", "Reason", "Message");
        conditions.forEach(c -> t.row("  " + c.type(), c.status(), c.reason() == null ? "" : c.reason(),
                c.message() == null ? "" : c.message()));
        table(out, t);
    }

    private void events(StringBuilder out, KubeObject o) {
        String selector = "involvedObject.name=" + o.metadata().name() + ",involvedObject.kind=" + o.kind();
        List<Event> events = new ArrayList<>(api.list(Kinds.EVENT, null, selector));
        events.removeIf(e -> o.metadata().namespace() != null && e.involvedObject() != null
                && e.involvedObject().namespace() != null && !o.metadata().namespace().equals(e.involvedObject().namespace()));
        events.sort(Comparator.comparing(e -> e.lastTimestamp() == null ? "" : e.lastTimestamp()));
        if (events.isEmpty()) {
            out.append("Events:          <none>\n");
            return;
        }
        out.append("Events:\n");
        Table t = new Table("  Type", "Reason", "Age", "From", "Message");
        t.row("  ----", "------", "----", "----", "-------");
        for (Event e : events) {
            String age = age(e.lastTimestamp());
            if (e.count() != null && e.count() > 1) {
                age += " (x" + e.count() + ")";
            }
            t.row("  " + e.type(), e.reason(), age, e.source() == null ? "" : e.source().component(), e.message());
        }
        table(out, t);
    }

    /** Age like kubectl: 45s, 12m, 3h, 2d. */
    String age(String timestamp) {
        if (timestamp == null) {
            return "<unknown>";
        }
        try {
            Duration d = Duration.between(Instant.parse(timestamp), clock.instant());
            long s = Math.max(0, d.getSeconds());
            return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    private static void table(StringBuilder out, Table t) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        t.print(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        out.append(buf.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void field(StringBuilder out, String name, String value) {
        String label = name + ":";
        out.append(label).append(" ".repeat(Math.max(1, WIDTH - label.length()))).append(value).append('\n');
    }

    private static void sub(StringBuilder out, String name, String value) {
        String label = "    " + name + ":";
        out.append(label).append(" ".repeat(Math.max(1, WIDTH + 4 - label.length()))).append(value).append('\n');
    }

    private static void map(StringBuilder out, String name, Map<String, String> m) {
        if (m.isEmpty()) {
            field(out, name, "<none>");
            return;
        }
        boolean first = true;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(m).entrySet()) {
            if (first) {
                field(out, name, e.getKey() + "=" + e.getValue());
                first = false;
            } else {
                out.append(" ".repeat(WIDTH)).append(e.getKey()).append('=').append(e.getValue()).append('\n');
            }
        }
    }

    private static String join(Map<String, String> m) {
        return m.isEmpty() ? "<none>" : new java.util.TreeMap<>(m).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
