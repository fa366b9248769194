package dev.capstan.engine.api;

import dev.capstan.model.Container;
import dev.capstan.model.DaemonSet;
import dev.capstan.model.Deployment;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Event;
import dev.capstan.model.Kind;
import dev.capstan.model.Job;
import dev.capstan.model.Kinds;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Lease;
import dev.capstan.model.Namespace;
import dev.capstan.model.Node;
import dev.capstan.model.PodTemplateSpec;
import dev.capstan.model.ReplicaSet;
import dev.capstan.model.Revision;
import dev.capstan.model.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The columns {@code kubectl get} prints for each kind, as Kubernetes' own table printers lay them out. */
final class PrintColumns {
    static final String NONE = "<none>";

    private PrintColumns() {
    }

    static List<Column> of(Kind<?> kind) {
        if (kind == Kinds.POD) {
            return PodColumns.columns();
        }
        if (kind == Kinds.NODE) {
            return nodes();
        }
        if (kind == Kinds.DEPLOYMENT) {
            return deployments();
        }
        if (kind == Kinds.REPLICA_SET) {
            return replicaSets();
        }
        if (kind == Kinds.SERVICE) {
            return services();
        }
        if (kind == Kinds.JOB) {
            return jobs();
        }
        if (kind == Kinds.DAEMON_SET) {
            return daemonSets();
        }
        if (kind == Kinds.NAMESPACE) {
            return List.of(Column.name("Name of the namespace."),
                    Column.of(Namespace.class, "Status", "string", "The phase of the namespace.", 0,
                            n -> n.status() == null || n.status().phase() == null ? "Active" : n.status().phase()),
                    Column.age());
        }
        if (kind == Kinds.EVENT) {
            return events();
        }
        if (kind == Kinds.REVISION) {
            return revisions();
        }
        if (kind == Kinds.LEASE) {
            return List.of(Column.name("Name of the lease."),
                    Column.of(Lease.class, "Holder", "string", "Who holds the lease.", 0,
                            l -> l.spec() == null || l.spec().holderIdentity() == null
                                    ? "" : l.spec().holderIdentity()),
                    Column.age());
        }
        if (kind == Kinds.ENDPOINTS) {
            return List.of(Column.name("Name of the endpoints."),
                    Column.of(Endpoints.class, "Endpoints", "string", "The ready addresses and ports.", 0,
                            PrintColumns::endpoints),
                    Column.age());
        }
        return List.of(Column.name("Name of the object."), Column.age());
    }

    private static List<Column> nodes() {
        return List.of(Column.name("Name of the node."),
                Column.of(Node.class, "Status", "string", "Readiness, and whether pods may be scheduled.", 0,
                        PrintColumns::nodeStatus),
                Column.of(Node.class, "Roles", "string", "Roles from node-role.kubernetes.io labels.", 0,
                        PrintColumns::roles),
                Column.age(),
                Column.of(Node.class, "Version", "string", "The agent's version.", 0,
                        n -> n.status() == null || n.status().nodeInfo() == null
                                || n.status().nodeInfo().kubeletVersion() == null
                                ? "" : n.status().nodeInfo().kubeletVersion()),
                Column.of(Node.class, "Internal-IP", "string", "The node's internal address.", 1,
                        n -> address(n, "InternalIP")),
                Column.of(Node.class, "External-IP", "string", "The node's external address.", 1,
                        n -> address(n, "ExternalIP")),
                Column.of(Node.class, "OS-Image", "string", "The operating system.", 1,
                        n -> nodeInfo(n, Node.NodeInfo::osImage)),
                Column.of(Node.class, "Kernel-Version", "string", "The kernel.", 1,
                        n -> nodeInfo(n, Node.NodeInfo::kernelVersion)),
                Column.of(Node.class, "Container-Runtime", "string", "The container runtime.", 1,
                        n -> nodeInfo(n, Node.NodeInfo::containerRuntimeVersion)));
    }

    private static String nodeStatus(Node n) {
        String ready = "Unknown";
        if (n.status() != null) {
            for (var c : n.status().conditions()) {
                if ("Ready".equals(c.type())) {
                    ready = c.isTrue() ? "Ready" : "False".equals(c.status()) ? "NotReady" : "Unknown";
                }
            }
        }
        return n.isSchedulable() ? ready : ready + ",SchedulingDisabled";
    }

    private static String roles(Node n) {
        List<String> roles = new ArrayList<>();
        new TreeMap<>(n.metadata().labels()).forEach((k, v) -> {
            if (k.startsWith("node-role.kubernetes.io/") && k.length() > "node-role.kubernetes.io/".length()) {
                roles.add(k.substring("node-role.kubernetes.io/".length()));
            } else if (k.equals("kubernetes.io/role") && !v.isEmpty()) {
                roles.add(v);
            }
        });
        return roles.isEmpty() ? NONE : String.join(",", roles);
    }

    private static String address(Node n, String type) {
        if (n.status() != null) {
            for (Node.Address a : n.status().addresses()) {
                if (type.equals(a.type())) {
                    return a.address();
                }
            }
        }
        return NONE;
    }

    private static String nodeInfo(Node n, java.util.function.Function<Node.NodeInfo, String> f) {
        String v = n.status() == null || n.status().nodeInfo() == null ? null : f.apply(n.status().nodeInfo());
        return v == null || v.isEmpty() ? "<unknown>" : v;
    }

    private static List<Column> deployments() {
        return List.of(Column.name("Name of the deployment."),
                Column.of(Deployment.class, "Ready", "string", "Ready replicas out of desired.", 0,
                        d -> (d.status() == null ? 0 : d.status().readyReplicas()) + "/"
                                + (d.spec() == null ? 0 : d.spec().replicas())),
                Column.of(Deployment.class, "Up-to-date", "integer", "Replicas running the newest template.", 0,
                        d -> d.status() == null ? 0 : d.status().updatedReplicas()),
                Column.of(Deployment.class, "Available", "integer", "Replicas available to serve.", 0,
                        d -> d.status() == null ? 0 : d.status().availableReplicas()),
                Column.age(),
                Column.of(Deployment.class, "Containers", "string", "Names of the containers.", 1,
                        d -> containers(d.spec() == null ? null : d.spec().template(), Container::name)),
                Column.of(Deployment.class, "Images", "string", "Images of the containers.", 1,
                        d -> containers(d.spec() == null ? null : d.spec().template(), Container::image)),
                Column.of(Deployment.class, "Selector", "string", "The pod selector.", 1,
                        d -> selector(d.spec() == null ? null : d.spec().selector())));
    }

    private static List<Column> replicaSets() {
        return List.of(Column.name("Name of the replica set."),
                Column.of(ReplicaSet.class, "Desired", "integer", "Desired replicas.", 0,
                        r -> r.spec() == null ? 0 : r.spec().replicas()),
                Column.of(ReplicaSet.class, "Current", "integer", "Replicas that exist.", 0,
                        r -> r.status() == null ? 0 : r.status().replicas()),
                Column.of(ReplicaSet.class, "Ready", "integer", "Replicas that are ready.", 0,
                        r -> r.status() == null ? 0 : r.status().readyReplicas()),
                Column.age(),
                Column.of(ReplicaSet.class, "Containers", "string", "Names of the containers.", 1,
                        r -> containers(r.spec() == null ? null : r.spec().template(), Container::name)),
                Column.of(ReplicaSet.class, "Images", "string", "Images of the containers.", 1,
                        r -> containers(r.spec() == null ? null : r.spec().template(), Container::image)),
                Column.of(ReplicaSet.class, "Selector", "string", "The pod selector.", 1,
                        r -> selector(r.spec() == null ? null : r.spec().selector())));
    }

    private static List<Column> jobs() {
        return List.of(Column.name("Name of the job."),
                Column.of(Job.class, "Status", "string", "Running, Complete or Failed.", 0,
                        j -> j.status() == null ? "Running" : j.status().has("Complete") ? "Complete"
                                : j.status().has("Failed") ? "Failed" : "Running"),
                Column.of(Job.class, "Completions", "string", "Succeeded pods out of the completions wanted.", 0,
                        j -> (j.status() == null ? 0 : j.status().succeeded()) + "/"
                                + (j.spec() == null ? 1 : j.spec().completionsOrDefault())),
                Column.of(Job.class, "Duration", "string", "How long the job ran.", 0, PrintColumns::jobDuration),
                Column.age(),
                Column.of(Job.class, "Containers", "string", "Names of the containers.", 1,
                        j -> containers(j.spec() == null ? null : j.spec().template(), Container::name)),
                Column.of(Job.class, "Images", "string", "Images of the containers.", 1,
                        j -> containers(j.spec() == null ? null : j.spec().template(), Container::image)));
    }

    private static String jobDuration(Job j) {
        if (j.status() == null || j.status().startTime() == null) {
            return "";
        }
        java.time.Instant start = java.time.Instant.parse(j.status().startTime());
        java.time.Instant end = j.status().completionTime() == null ? java.time.Instant.now()
                : java.time.Instant.parse(j.status().completionTime());
        long sec = Math.max(0, java.time.Duration.between(start, end).getSeconds());
        return sec < 120 ? sec + "s" : sec < 7200 ? sec / 60 + "m" : sec / 3600 + "h";
    }

    private static List<Column> daemonSets() {
        return List.of(Column.name("Name of the daemon set."),
                Column.of(DaemonSet.class, "Desired", "integer", "Nodes that should run a pod.", 0,
                        d -> d.status() == null ? 0 : d.status().desiredNumberScheduled()),
                Column.of(DaemonSet.class, "Current", "integer", "Nodes that run a pod.", 0,
                        d -> d.status() == null ? 0 : d.status().currentNumberScheduled()),
                Column.of(DaemonSet.class, "Ready", "integer", "Nodes whose pod is ready.", 0,
                        d -> d.status() == null ? 0 : d.status().numberReady()),
                Column.of(DaemonSet.class, "Up-to-date", "integer", "Nodes whose pod runs the newest template.", 0,
                        d -> d.status() == null ? 0 : d.status().updatedNumberScheduled()),
                Column.of(DaemonSet.class, "Available", "integer", "Nodes whose pod is available.", 0,
                        d -> d.status() == null ? 0 : d.status().numberAvailable()),
                Column.of(DaemonSet.class, "Node Selector", "string", "The template's node selector.", 0,
                        d -> d.spec() == null || d.spec().template() == null || d.spec().template().spec() == null
                                ? NONE : labels(d.spec().template().spec().nodeSelector())),
                Column.age());
    }

    private static String containers(PodTemplateSpec t, java.util.function.Function<Container, String> f) {
        if (t == null || t.spec() == null || t.spec().containers().isEmpty()) {
            return NONE;
        }
        return t.spec().containers().stream().map(f).map(s -> s == null ? "" : s).collect(Collectors.joining(","));
    }

    private static String selector(LabelSelector s) {
        return s == null ? NONE : labels(s.matchLabels());
    }

    static String labels(Map<String, String> m) {
        if (m.isEmpty()) {
            return NONE;
        }
        return new TreeMap<>(m).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private static List<Column> services() {
        return List.of(Column.name("Name of the service."),
                Column.of(Service.class, "Type", "string", "How the service is exposed.", 0,
                        s -> s.spec() == null || s.spec().type() == null ? "ClusterIP" : s.spec().type()),
                Column.of(Service.class, "Cluster-IP", "string", "The virtual address.", 0,
                        s -> s.spec() == null || s.spec().clusterIP() == null || s.spec().clusterIP().isEmpty()
                                ? NONE : s.spec().clusterIP()),
                Column.of(Service.class, "External-IP", "string", "External addresses.", 0, s -> NONE),
                Column.of(Service.class, "Port(s)", "string", "The service's ports.", 0, PrintColumns::ports),
                Column.age(),
                Column.of(Service.class, "Selector", "string", "The pods the service routes to.", 1,
                        s -> s.spec() == null ? NONE : labels(s.spec().selector())));
    }

    private static String ports(Service s) {
        if (s.spec() == null || s.spec().ports().isEmpty()) {
            return NONE;
        }
        return s.spec().ports().stream()
                .map(p -> p.port() + (p.nodePort() == null ? "" : ":" + p.nodePort()) + "/"
                        + (p.protocol() == null ? "TCP" : p.protocol()))
                .collect(Collectors.joining(","));
    }

    private static List<Column> events() {
        return List.of(
                new Column("Last Seen", "string", "", "Time since the event was last seen.", 0,
                        (o, now) -> {
                            Event e = (Event) o;
                            String t = e.lastTimestamp() != null ? e.lastTimestamp()
                                    : e.metadata().creationTimestamp();
                            return Ages.since(t, now);
                        }),
                Column.of(Event.class, "Type", "string", "Normal or Warning.", 0, e -> nz(e.type())),
                Column.of(Event.class, "Reason", "string", "Why the event happened.", 0, e -> nz(e.reason())),
                Column.of(Event.class, "Object", "string", "The object it happened to.", 0,
                        e -> e.involvedObject() == null ? "" : nz(e.involvedObject().kind())
                                .toLowerCase(java.util.Locale.ROOT) + "/" + nz(e.involvedObject().name())),
                Column.of(Event.class, "Message", "string", "What happened.", 0, e -> nz(e.message()).strip()),
                Column.of(Event.class, "Source", "string", "Who reported it.", 1,
                        e -> e.source() == null ? "" : nz(e.source().component())),
                new Column("First Seen", "string", "", "Time since the event was first seen.", 1,
                        (o, now) -> Ages.since(((Event) o).firstTimestamp(), now)),
                Column.of(Event.class, "Count", "integer", "How often it happened.", 1,
                        e -> e.count() == null ? 1 : e.count()),
                new Column("Name", "string", "name", "Name of the event.", 1, (o, now) -> o.metadata().name()));
    }

    private static List<Column> revisions() {
        return List.of(Column.name("Name of the revision (the commit's short SHA)."),
                Column.of(Revision.class, "Phase", "string", "Applied, Rejected or Superseded.", 0,
                        r -> r.status() == null || r.status().phase() == null ? "" : r.status().phase()),
                Column.of(Revision.class, "Commit", "string", "The commit.", 0,
                        r -> r.spec() == null || r.spec().commit() == null ? ""
                                : r.spec().commit().substring(0, Math.min(12, r.spec().commit().length()))),
                Column.of(Revision.class, "Message", "string", "The commit message's first line.", 0,
                        PrintColumns::firstLine),
                Column.age(),
                Column.of(Revision.class, "Author", "string", "Who made the commit.", 1,
                        r -> r.spec() == null ? "" : nz(r.spec().author())),
                Column.of(Revision.class, "Objects", "integer", "Objects the commit produced.", 1,
                        r -> r.status() == null || r.status().objects() == null ? 0 : r.status().objects()));
    }

    private static String firstLine(Revision r) {
        String m = r.spec() == null ? null : r.spec().message();
        if (m == null) {
            return "";
        }
        String line = m.strip().lines().findFirst().orElse("");
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }

    private static String endpoints(Endpoints e) {
        List<String> all = new ArrayList<>();
        for (Endpoints.Subset s : e.subsets()) {
            List<Endpoints.Address> addrs = s.addresses() == null ? List.of() : s.addresses();
            List<Endpoints.Port> ports = s.ports() == null ? List.of() : s.ports();
            for (Endpoints.Address a : addrs) {
                if (ports.isEmpty()) {
                    all.add(a.ip());
                }
                for (Endpoints.Port p : ports) {
                    all.add(a.ip() + ":" + p.port());
                }
            }
        }
        if (all.isEmpty()) {
            return NONE;
        }
        String shown = String.join(",", all.subList(0, Math.min(3, all.size())));
        return all.size() > 3 ? shown + " + " + (all.size() - 3) + " more..." : shown;
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    /** For tests: the cells of one object. */
    static List<Object> cells(Kind<?> kind, dev.capstan.model.KubeObject o, Instant now) {
        return of(kind).stream().map(c -> c.cell().apply(o, now)).toList();
    }
}
