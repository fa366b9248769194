package dev.capstan.engine.scheduler;

import dev.capstan.model.Condition;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * A dry run of the scheduler over a cluster snapshot, with no store, no controllers and no clock: nodes and
 * the pods already bound to them go in, then each new pod is placed exactly as {@link Scheduler} places it
 * ({@link Profile#schedule} over a {@link SchedulerCache}, the chosen node assumed so the next pod sees it).
 * A pod that fits nowhere keeps the scheduler's own reason ({@code 0/3 nodes are available: 3 insufficient
 * memory.}). No preemption: a dry run never evicts. Deterministic for the same inputs in the same order.
 * Not thread-safe; {@code capstan plan} and {@code capstan simulate} use it from one thread.
 */
public final class Placement {
    private final Profile profile;
    private final SchedulerCache cache = new SchedulerCache();
    private int nextStart;

    public Placement(Profile profile) {
        this.profile = profile;
    }

    /** Over the default profile (LeastAllocated). */
    public Placement() {
        this(Profile.defaults());
    }

    /** Adds or replaces a node of the snapshot. */
    public Placement node(Node node) {
        cache.upsertNode(node);
        return this;
    }

    /** Accounts a pod of the snapshot on its {@code spec.nodeName}; unbound or ended pods hold no room. */
    public Placement bound(Pod pod) {
        cache.updatePod(pod);
        return this;
    }

    /** Takes a pod out of the snapshot (it is being replaced or removed); true when it held room on a node. */
    public boolean remove(Pod pod) {
        return cache.removePod(pod);
    }

    /** The nodes, with what is bound or assumed on them so far. */
    public List<NodeInfo> nodes() {
        return cache.nodes();
    }

    /** One scheduling cycle for {@code pod}; when it fits, it is assumed on the chosen node. */
    public Result place(Pod pod) {
        Decision d = profile.schedule(pod, cache, nextStart);
        nextStart += d.examined();
        if (d.scheduled()) {
            cache.assume(pod, d.nodeName());
        }
        return new Result(pod, d);
    }

    /**
     * Where one pod went.
     *
     * @param pod      the pod as given
     * @param decision the scheduler's decision: the node, or every rejection
     */
    public record Result(Pod pod, Decision decision) {
        public boolean fits() {
            return decision.scheduled();
        }

        /** The node, or null. */
        public String node() {
            return decision.nodeName();
        }

        /** Why it fits nowhere, as the scheduler says it; null when it fits. */
        public String reason() {
            return fits() ? null : decision.message();
        }
    }

    /**
     * A Ready node for simulations: {@code allocatable} (= capacity) holds quantities such as
     * {@code cpu: "4"}, {@code memory: "8Gi"}, {@code pods: "110"}.
     */
    public static Node simulatedNode(String name, Map<String, String> allocatable, Map<String, String> labels,
                                     List<Node.Taint> taints) {
        return new Node(ObjectMeta.of(null, name).withLabels(labels), new Node.Spec(null, null, taints),
                new Node.Status(allocatable, allocatable,
                        List.of(Condition.of("Ready", true, "Simulated", "simulated node")), null, null));
    }

    /** The message of a pod's {@code PodScheduled=False} condition (why it is pending), or null. */
    public static String unschedulableReason(Pod p) {
        if (p.status() == null) {
            return null;
        }
        for (Condition c : p.status().conditions()) {
            if ("PodScheduled".equals(c.type()) && "False".equals(c.status())) {
                return c.message();
            }
        }
        return null;
    }
}
