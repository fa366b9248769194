package dev.capstan.engine.scheduler.plugins;

import dev.capstan.engine.scheduler.AffinityTermKey;
import dev.capstan.engine.scheduler.ClusterView;
import dev.capstan.engine.scheduler.FilterPlugin;
import dev.capstan.engine.scheduler.NodeInfo;
import dev.capstan.engine.scheduler.PodInfo;
import dev.capstan.engine.scheduler.ScorePlugin;
import dev.capstan.engine.scheduler.Status;
import dev.capstan.model.Affinity;
import dev.capstan.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pod affinity and anti-affinity for any topology key, over the pods bound or assumed so far (so pods
 * placed earlier in the same pass count). Prepared once per pod from the cache's indexes, then checked
 * in this order (the first failure is the reason):
 * <ul>
 * <li>required affinity: for every term, the node's domain ({@code topologyKey} label) must hold a pod the
 *     term selects; when no such pod exists anywhere and the pod selects itself, any node with the key
 *     will do (the first replica of a group), as in Kubernetes;</li>
 * <li>required anti-affinity: no term's selected pod may be in the node's domain;</li>
 * <li>symmetry: no existing pod's required anti-affinity term may select this pod in the node's domain.</li>
 * </ul>
 * Score: preferred terms, {@code 50 + 50 × (affinity weight matched − anti-affinity weight matched) /
 * total weight} (50 when the pod prefers nothing). Each check costs a hash lookup per node.
 */
public final class InterPodAffinity implements FilterPlugin, ScorePlugin {
    public static final String AFFINITY = "node(s) didn't match pod affinity rules";
    public static final String ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    public static final String EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

    @Override
    public String name() {
        return "InterPodAffinity";
    }

    /** Unprepared (no cluster): only the pod's own terms against an empty cluster, i.e. always success. */
    @Override
    public Status filter(Pod pod, NodeInfo node) {
        return Status.success();
    }

    @Override
    public int score(Pod pod, NodeInfo node) {
        return MAX_SCORE / 2;
    }

    @Override
    public FilterPlugin prepareFilter(Pod pod, ClusterView cluster) {
        Prepared p = prepare(pod, cluster);
        return p.filters() ? p : null;
    }

    @Override
    public ScorePlugin prepareScore(Pod pod, ClusterView cluster) {
        Prepared p = prepare(pod, cluster);
        return p.scores() ? p : null;
    }

    /** Computes this pod's view of the cluster once. */
    public Prepared prepare(Pod pod, ClusterView cluster) {
        Affinity a = pod.spec().affinity();
        String ns = pod.metadata().namespace();
        Map<String, String> labels = pod.metadata().labels();
        List<Term> required = new ArrayList<>();
        List<Term> forbidden = new ArrayList<>();
        List<Term> preferred = new ArrayList<>();
        boolean anyMatch = false;
        boolean selfMatch = true;
        if (a != null && a.podAffinity() != null) {
            for (Affinity.PodAffinityTerm t : a.podAffinity().requiredDuringSchedulingIgnoredDuringExecution()) {
                Term term = domains(t, ns, cluster, 0);
                required.add(term);
                anyMatch |= !term.domains().isEmpty();
                selfMatch &= AffinityTermKey.of(t, ns).selects(ns, labels);
            }
            for (Affinity.WeightedPodAffinityTerm w : a.podAffinity().preferredDuringSchedulingIgnoredDuringExecution()) {
                preferred.add(domains(w.podAffinityTerm(), ns, cluster, w.weight()));
            }
        }
        if (a != null && a.podAntiAffinity() != null) {
            for (Affinity.PodAffinityTerm t : a.podAntiAffinity().requiredDuringSchedulingIgnoredDuringExecution()) {
                forbidden.add(domains(t, ns, cluster, 0));
            }
            for (Affinity.WeightedPodAffinityTerm w
                    : a.podAntiAffinity().preferredDuringSchedulingIgnoredDuringExecution()) {
                preferred.add(domains(w.podAffinityTerm(), ns, cluster, -w.weight()));
            }
        }
        Map<String, Set<String>> existing = new HashMap<>();
        cluster.forEachAntiAffinityAgainst(ns, labels, (term, counts) ->
                existing.computeIfAbsent(term.topologyKey(), k -> new HashSet<>()).addAll(counts.keySet()));
        boolean firstOfGroup = !anyMatch && selfMatch;
        return new Prepared(firstOfGroup ? List.of() : required, firstOfGroup ? required : List.of(), forbidden,
                existing, preferred);
    }

    private static Term domains(Affinity.PodAffinityTerm t, String ns, ClusterView cluster, int weight) {
        AffinityTermKey key = AffinityTermKey.of(t, ns);
        Set<String> domains = new HashSet<>();
        if (key.topologyKey() != null) {
            cluster.forEachMatchingPod(key.namespaces(), key.selector(), (PodInfo p) -> {
                NodeInfo n = cluster.nodeInfo(p.node());
                String d = n == null ? null : n.label(key.topologyKey());
                if (d != null) {
                    domains.add(d);
                }
            });
        }
        return new Term(key.topologyKey(), domains, weight);
    }

    /** One term resolved for this cycle: the topology domains holding pods it selects. */
    private record Term(String topologyKey, Set<String> domains, int weight) {
        boolean holds(NodeInfo node) {
            String d = topologyKey == null ? null : node.label(topologyKey);
            return d != null && domains.contains(d);
        }
    }

    /** The plugin prepared for one pod. */
    public static final class Prepared implements FilterPlugin, ScorePlugin {
        private final List<Term> required;
        private final List<Term> keyOnly;
        private final List<Term> forbidden;
        private final Map<String, Set<String>> existing;
        private final List<Term> preferred;
        private final long totalWeight;

        private Prepared(List<Term> required, List<Term> keyOnly, List<Term> forbidden,
                         Map<String, Set<String>> existing, List<Term> preferred) {
            this.required = required;
            this.keyOnly = keyOnly;
            this.forbidden = forbidden;
            this.existing = existing;
            this.preferred = preferred;
            this.totalWeight = preferred.stream().mapToLong(t -> Math.abs(t.weight())).sum();
        }

        @Override
        public String name() {
            return "InterPodAffinity";
        }

        /** False when nothing can reject a node for this pod. */
        public boolean filters() {
            return !required.isEmpty() || !keyOnly.isEmpty() || !forbidden.isEmpty() || !existing.isEmpty();
        }

        /** False when the pod prefers nothing. */
        public boolean scores() {
            return totalWeight != 0;
        }

        @Override
        public Status filter(Pod pod, NodeInfo node) {
            for (Term t : required) {
                if (!t.holds(node)) {
                    return Status.unresolvable(AFFINITY);
                }
            }
            for (Term t : keyOnly) {
                if (t.topologyKey() == null || node.label(t.topologyKey()) == null) {
                    return Status.unresolvable(AFFINITY);
                }
            }
            for (Term t : forbidden) {
                if (t.holds(node)) {
                    return Status.unschedulable(ANTI_AFFINITY);
                }
            }
            for (Map.Entry<String, Set<String>> e : existing.entrySet()) {
                String d = node.label(e.getKey());
                if (d != null && e.getValue().contains(d)) {
                    return Status.unschedulable(EXISTING_ANTI_AFFINITY);
                }
            }
            return Status.success();
        }

        @Override
        public int score(Pod pod, NodeInfo node) {
            if (totalWeight == 0) {
                return MAX_SCORE / 2;
            }
            long sum = 0;
            for (Term t : preferred) {
                if (t.holds(node)) {
                    sum += t.weight();
                }
            }
            return (int) (MAX_SCORE / 2 + sum * (MAX_SCORE / 2) / totalWeight);
        }
    }
}
