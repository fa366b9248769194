package dev.capstan.engine.scheduler;

import dev.capstan.model.Affinity;
import dev.capstan.model.LabelSelector;
import java.util.Map;
import java.util.Set;

/**
 * A pod affinity term with its namespaces resolved (empty means the owning pod's namespace), used to group
 * the identical anti-affinity terms of many replicas so a new pod is checked once per distinct term.
 */
public record AffinityTermKey(Set<String> namespaces, LabelSelector selector, String topologyKey) {

    public static AffinityTermKey of(Affinity.PodAffinityTerm term, String ownNamespace) {
        Set<String> ns = term.namespaces().isEmpty() ? Set.of(ownNamespace == null ? "" : ownNamespace)
                : Set.copyOf(term.namespaces());
        LabelSelector sel = term.labelSelector() == null ? new LabelSelector(Map.of()) : term.labelSelector();
        return new AffinityTermKey(ns, sel, term.topologyKey());
    }

    /** True when this term selects a pod with these labels in that namespace. */
    public boolean selects(String namespace, Map<String, String> labels) {
        return namespaces.contains(namespace == null ? "" : namespace) && selector.matches(labels);
    }
}
