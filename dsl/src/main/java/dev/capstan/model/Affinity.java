package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Kubernetes' Affinity: node affinity, pod affinity and pod anti-affinity, required and preferred. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Affinity(NodeAffinity nodeAffinity, PodAffinity podAffinity, PodAffinity podAntiAffinity) {

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeAffinity(NodeSelector requiredDuringSchedulingIgnoredDuringExecution,
                               List<PreferredSchedulingTerm> preferredDuringSchedulingIgnoredDuringExecution) {
        public NodeAffinity {
            preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution == null
                    ? List.of() : List.copyOf(preferredDuringSchedulingIgnoredDuringExecution);
        }
    }

    /** The terms are ORed; the expressions inside one term are ANDed. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeSelector(List<NodeSelectorTerm> nodeSelectorTerms) {
        public NodeSelector {
            nodeSelectorTerms = nodeSelectorTerms == null ? List.of() : List.copyOf(nodeSelectorTerms);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeSelectorTerm(List<LabelSelector.Requirement> matchExpressions) {
        public NodeSelectorTerm {
            matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PreferredSchedulingTerm(int weight, NodeSelectorTerm preference) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PodAffinity(List<PodAffinityTerm> requiredDuringSchedulingIgnoredDuringExecution,
                              List<WeightedPodAffinityTerm> preferredDuringSchedulingIgnoredDuringExecution) {
        public PodAffinity {
            requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution == null
                    ? List.of() : List.copyOf(requiredDuringSchedulingIgnoredDuringExecution);
            preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution == null
                    ? List.of() : List.copyOf(preferredDuringSchedulingIgnoredDuringExecution);
        }
    }

    /** Pods matching {@code labelSelector} (in {@code namespaces}, or the pod's own) in the same {@code topologyKey} domain. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PodAffinityTerm(LabelSelector labelSelector, List<String> namespaces, String topologyKey) {
        public PodAffinityTerm {
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WeightedPodAffinityTerm(int weight, PodAffinityTerm podAffinityTerm) {
    }
}
