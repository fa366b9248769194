package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Kubernetes' PodSpec, the fields Capstan uses. {@code nodeName} is set by the scheduler's binding. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PodSpec(List<Container> containers, String nodeName, String restartPolicy,
                      Long terminationGracePeriodSeconds, Map<String, String> nodeSelector, Boolean hostNetwork,
                      Affinity affinity, List<Toleration> tolerations,
                      List<TopologySpreadConstraint> topologySpreadConstraints, Integer priority) {

    public PodSpec {
        containers = containers == null ? List.of() : List.copyOf(containers);
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        topologySpreadConstraints = topologySpreadConstraints == null ? List.of()
                : List.copyOf(topologySpreadConstraints);
    }

    /** A pod spec without placement rules. */
    public PodSpec(List<Container> containers, String nodeName, String restartPolicy,
                   Long terminationGracePeriodSeconds, Map<String, String> nodeSelector, Boolean hostNetwork) {
        this(containers, nodeName, restartPolicy, terminationGracePeriodSeconds, nodeSelector, hostNetwork, null,
                null, null, null);
    }

    public PodSpec withNodeName(String n) {
        return new PodSpec(containers, n, restartPolicy, terminationGracePeriodSeconds, nodeSelector, hostNetwork,
                affinity, tolerations, topologySpreadConstraints, priority);
    }

    public PodSpec withRestartPolicy(String r) {
        return new PodSpec(containers, nodeName, r, terminationGracePeriodSeconds, nodeSelector, hostNetwork,
                affinity, tolerations, topologySpreadConstraints, priority);
    }

    public PodSpec withContainers(List<Container> c) {
        return new PodSpec(c, nodeName, restartPolicy, terminationGracePeriodSeconds, nodeSelector, hostNetwork,
                affinity, tolerations, topologySpreadConstraints, priority);
    }

    /** Sum of the containers' CPU requests, in millicores. */
    public long cpuMillis() {
        return containers.stream().mapToLong(c -> c.resources() == null ? 0 : c.resources().cpuMillis()).sum();
    }

    /** Sum of the containers' memory requests, in bytes. */
    public long memoryBytes() {
        return containers.stream().mapToLong(c -> c.resources() == null ? 0 : c.resources().memoryBytes()).sum();
    }
}
