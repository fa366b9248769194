package dev.capstan.engine.scheduler;

import dev.capstan.model.Affinity;
import dev.capstan.model.Condition;
import dev.capstan.model.Container;
import dev.capstan.model.LabelSelector;
import dev.capstan.model.Node;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import dev.capstan.model.PodSpec;
import dev.capstan.model.Toleration;
import dev.capstan.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fluent pods and nodes for plugin tables: {@code pod("p").label("app", "api").antiAffinity("app=api", HOST)}. */
final class PodBuilder {
    static final String HOST = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    private final String name;
    private String namespace = "sched";
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> requests = new HashMap<>();
    private String nodeName;
    private Integer priority;
    private Affinity.NodeSelector requiredNode;
    private final List<Affinity.PreferredSchedulingTerm> preferredNode = new ArrayList<>();
    private final List<Affinity.PodAffinityTerm> affinity = new ArrayList<>();
    private final List<Affinity.PodAffinityTerm> anti = new ArrayList<>();
    private final List<Affinity.WeightedPodAffinityTerm> prefAffinity = new ArrayList<>();
    private final List<Affinity.WeightedPodAffinityTerm> prefAnti = new ArrayList<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private final List<TopologySpreadConstraint> spread = new ArrayList<>();

    private PodBuilder(String name) {
        this.name = name;
    }

    static PodBuilder pod(String name) {
        return new PodBuilder(name);
    }

    PodBuilder ns(String ns) {
        this.namespace = ns;
        return this;
    }

    PodBuilder label(String k, String v) {
        labels.put(k, v);
        return this;
    }

    PodBuilder requests(String cpu, String memory) {
        requests.put("cpu", cpu);
        requests.put("memory", memory);
        return this;
    }

    PodBuilder on(String node) {
        this.nodeName = node;
        return this;
    }

    PodBuilder priority(int p) {
        this.priority = p;
        return this;
    }

    /** One required node selector term per call (terms are ORed); expressions like {@code "zone In a,b"}. */
    PodBuilder requireNode(String... expressions) {
        List<Affinity.NodeSelectorTerm> terms = requiredNode == null ? new ArrayList<>()
                : new ArrayList<>(requiredNode.nodeSelectorTerms());
        terms.add(term(expressions));
        requiredNode = new Affinity.NodeSelector(terms);
        return this;
    }

    PodBuilder preferNode(int weight, String... expressions) {
        preferredNode.add(new Affinity.PreferredSchedulingTerm(weight, term(expressions)));
        return this;
    }

    PodBuilder affinity(String selector, String key) {
        affinity.add(new Affinity.PodAffinityTerm(sel(selector), null, key));
        return this;
    }

    PodBuilder antiAffinity(String selector, String key) {
        anti.add(new Affinity.PodAffinityTerm(sel(selector), null, key));
        return this;
    }

    PodBuilder preferAffinity(int weight, String selector, String key) {
        prefAffinity.add(new Affinity.WeightedPodAffinityTerm(weight, new Affinity.PodAffinityTerm(sel(selector), null, key)));
        return this;
    }

    PodBuilder preferAntiAffinity(int weight, String selector, String key) {
        prefAnti.add(new Affinity.WeightedPodAffinityTerm(weight, new Affinity.PodAffinityTerm(sel(selector), null, key)));
        return this;
    }

    PodBuilder tolerate(String key, String operator, String value, String effect) {
        tolerations.add(new Toleration(key, operator, value, effect, null));
        return this;
    }

    PodBuilder spread(int maxSkew, String key, String when, String selector) {
        spread.add(new TopologySpreadConstraint(maxSkew, key, when, sel(selector)));
        return this;
    }

    Pod build() {
        Container c = new Container("main", "img", null, null, null, null, new Container.Resources(requests, null), null);
        Affinity a = requiredNode == null && preferredNode.isEmpty() && affinity.isEmpty() && anti.isEmpty()
                && prefAffinity.isEmpty() && prefAnti.isEmpty() ? null
                : new Affinity(new Affinity.NodeAffinity(requiredNode, preferredNode),
                        new Affinity.PodAffinity(affinity, prefAffinity), new Affinity.PodAffinity(anti, prefAnti));
        return new Pod(ObjectMeta.of(namespace, name).withLabels(labels),
                new PodSpec(List.of(c), nodeName, null, null, null, null, a, tolerations, spread, priority), null);
    }

    /** {@code "app=api"} → matchLabels app=api; several pairs separated by commas. */
    static LabelSelector sel(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : s.split(",")) {
            String[] kv = pair.split("=", 2);
            m.put(kv[0].trim(), kv[1].trim());
        }
        return new LabelSelector(m);
    }

    private static Affinity.NodeSelectorTerm term(String... expressions) {
        List<LabelSelector.Requirement> reqs = new ArrayList<>();
        for (String e : expressions) {
            String[] parts = e.split(" ");
            reqs.add(new LabelSelector.Requirement(parts[0], parts[1],
                    parts.length > 2 ? List.of(parts[2].split(",")) : List.of()));
        }
        return new Affinity.NodeSelectorTerm(reqs);
    }

    /** A ready node with 4 cpu, 8Gi, hostname label, optional zone and further labels as k=v, taints as k=v:Effect. */
    static Node node(String name, String zone, String... labelsAndTaints) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(HOST, name);
        if (zone != null) {
            labels.put(ZONE, zone);
        }
        List<Node.Taint> taints = new ArrayList<>();
        for (String s : labelsAndTaints) {
            if (s.contains(":")) {
                String[] kv = s.split("[=:]");
                taints.add(new Node.Taint(kv[0], kv.length > 2 ? kv[1] : null, kv[kv.length - 1]));
            } else {
                String[] kv = s.split("=", 2);
                labels.put(kv[0], kv[1]);
            }
        }
        Map<String, String> alloc = Map.of("cpu", "4", "memory", "8Gi", "pods", "110");
        return new Node(ObjectMeta.of(null, name).withLabels(labels), new Node.Spec(null, null, taints),
                new Node.Status(alloc, alloc, List.of(Condition.of("Ready", true, "NodeReady", null)), null, null));
    }

    /** A cache holding these nodes and bound pods. */
    static SchedulerCache cache(List<Node> nodes, List<Pod> pods) {
        SchedulerCache c = new SchedulerCache();
        nodes.forEach(c::upsertNode);
        pods.forEach(c::updatePod);
        return c;
    }
}
