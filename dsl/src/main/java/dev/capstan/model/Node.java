package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A machine that runs pods, registered by its agent; cluster-scoped. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Node(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
        implements KubeObject {

    public Node {
        apiVersion = "v1";
        kind = "Node";
    }

    public Node(ObjectMeta metadata, Spec spec, Status status) {
        this("v1", "Node", metadata, spec, status);
    }

    @Override
    public Node withMetadata(ObjectMeta m) {
        return new Node(m, spec, status);
    }

    public Node withSpec(Spec s) {
        return new Node(metadata, s, status);
    }

    public Node withStatus(Status s) {
        return new Node(metadata, spec, s);
    }

    /** True when the Ready condition is True. */
    public boolean isReady() {
        return status != null && status.conditions().stream()
                .anyMatch(c -> "Ready".equals(c.type()) && c.isTrue());
    }

    public boolean isSchedulable() {
        return spec == null || !Boolean.TRUE.equals(spec.unschedulable());
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(Boolean unschedulable, String podCIDR, List<Taint> taints) {
        public Spec {
            taints = taints == null ? List.of() : List.copyOf(taints);
        }

        public Spec(Boolean unschedulable, String podCIDR) {
            this(unschedulable, podCIDR, null);
        }
    }

    /** Repels pods that do not tolerate it; {@code effect} NoSchedule, PreferNoSchedule or NoExecute. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Taint(String key, String value, String effect) {
    }

    /** {@code capacity}/{@code allocatable} hold quantities: cpu ("2"), memory ("8Gi"), pods ("110"). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(Map<String, String> capacity, Map<String, String> allocatable, List<Condition> conditions,
                         List<Address> addresses, NodeInfo nodeInfo) {
        public Status {
            capacity = capacity == null ? Map.of() : Map.copyOf(capacity);
            allocatable = allocatable == null ? Map.of() : Map.copyOf(allocatable);
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        public Status withConditions(List<Condition> c) {
            return new Status(capacity, allocatable, c, addresses, nodeInfo);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Address(String type, String address) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeInfo(String containerRuntimeVersion, String kubeletVersion, String operatingSystem,
                           String architecture, String osImage, String kernelVersion, String machineID,
                           String systemUUID, String bootID, String kubeProxyVersion) {
    }
}
