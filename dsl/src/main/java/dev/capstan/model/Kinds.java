package dev.capstan.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Every kind Capstan stores and serves. */
public final class Kinds {
    public static final Kind<Namespace> NAMESPACE =
            new Kind<>("Namespace", "namespaces", "namespace", "", "v1", false, Namespace.class, List.of("ns"));
    public static final Kind<Pod> POD = new Kind<>("Pod", "pods", "pod", "", "v1", true, Pod.class, List.of("po"));
    public static final Kind<Service> SERVICE =
            new Kind<>("Service", "services", "service", "", "v1", true, Service.class, List.of("svc"));
    public static final Kind<Endpoints> ENDPOINTS =
            new Kind<>("Endpoints", "endpoints", "endpoints", "", "v1", true, Endpoints.class, List.of("ep"));
    public static final Kind<Node> NODE = new Kind<>("Node", "nodes", "node", "", "v1", false, Node.class,
            List.of("no"));
    public static final Kind<Event> EVENT = new Kind<>("Event", "events", "event", "", "v1", true, Event.class,
            List.of("ev"));
    public static final Kind<Deployment> DEPLOYMENT = new Kind<>("Deployment", "deployments", "deployment", "apps",
            "v1", true, Deployment.class, List.of("deploy"));
    public static final Kind<ReplicaSet> REPLICA_SET = new Kind<>("ReplicaSet", "replicasets", "replicaset", "apps",
            "v1", true, ReplicaSet.class, List.of("rs"));
    public static final Kind<Job> JOB = new Kind<>("Job", "jobs", "job", "batch", "v1", true, Job.class, List.of());
    public static final Kind<DaemonSet> DAEMON_SET = new Kind<>("DaemonSet", "daemonsets", "daemonset", "apps",
            "v1", true, DaemonSet.class, List.of("ds"));
    public static final Kind<Lease> LEASE = new Kind<>("Lease", "leases", "lease", "coordination.k8s.io", "v1",
            true, Lease.class, List.of());
    public static final Kind<Revision> REVISION = new Kind<>("Revision", "revisions", "revision", "capstan.dev",
            "v1", false, Revision.class, List.of("rev"));

    public static final List<Kind<?>> ALL =
            List.of(NAMESPACE, POD, SERVICE, ENDPOINTS, NODE, EVENT, DEPLOYMENT, REPLICA_SET, JOB, DAEMON_SET, LEASE,
                    REVISION);

    private Kinds() {
    }

    /** Finds a kind by plural, singular, short name or kind name, case-insensitively. */
    public static Optional<Kind<?>> find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Kind<?> k : ALL) {
            if (k.plural().equals(n) || k.singular().equals(n) || k.kind().toLowerCase(Locale.ROOT).equals(n)
                    || k.shortNames().contains(n)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    public static <T extends KubeObject> Kind<T> of(T obj) {
        for (Kind<?> k : ALL) {
            if (k.type() == obj.getClass()) {
                return (Kind<T>) k;
            }
        }
        throw new IllegalArgumentException("not a stored kind: " + obj.getClass().getName());
    }
}
