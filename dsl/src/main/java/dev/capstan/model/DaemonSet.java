package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One pod of a template on every eligible node (apps/v1 DaemonSet): nodes that match the template's node
 * selector and whose NoSchedule/NoExecute taints it tolerates. What one {@code daemon} block compiles to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DaemonSet(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
        implements KubeObject {

    public DaemonSet {
        apiVersion = "apps/v1";
        kind = "DaemonSet";
    }

    public DaemonSet(ObjectMeta metadata, Spec spec, Status status) {
        this("apps/v1", "DaemonSet", metadata, spec, status);
    }

    @Override
    public DaemonSet withMetadata(ObjectMeta m) {
        return new DaemonSet(m, spec, status);
    }

    public DaemonSet withStatus(Status s) {
        return new DaemonSet(metadata, spec, s);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(LabelSelector selector, PodTemplateSpec template, UpdateStrategy updateStrategy) {
    }

    /** {@code RollingUpdate} (default: one node's pod replaced at a time) or {@code OnDelete}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UpdateStrategy(String type) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(int desiredNumberScheduled, int currentNumberScheduled, int numberMisscheduled,
                         int numberReady, int updatedNumberScheduled, int numberAvailable, Long observedGeneration) {
    }
}
