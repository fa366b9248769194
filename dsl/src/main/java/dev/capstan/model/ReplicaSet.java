package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Keeps N pods of one template; owned by a Deployment, one per template revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReplicaSet(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
        implements KubeObject {

    /** Label on ReplicaSets and their pods: a hash of the pod template. */
    public static final String TEMPLATE_HASH = "pod-template-hash";
    /** Annotation on a Deployment's ReplicaSets: the rollout revision (1, 2, …) its template is. */
    public static final String REVISION = "deployment.kubernetes.io/revision";
    /** Annotation on a Deployment's ReplicaSets: the Deployment's replicas when it last sized this set. */
    public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";

    public ReplicaSet {
        apiVersion = "apps/v1";
        kind = "ReplicaSet";
    }

    public ReplicaSet(ObjectMeta metadata, Spec spec, Status status) {
        this("apps/v1", "ReplicaSet", metadata, spec, status);
    }

    @Override
    public ReplicaSet withMetadata(ObjectMeta m) {
        return new ReplicaSet(m, spec, status);
    }

    public ReplicaSet withSpec(Spec s) {
        return new ReplicaSet(metadata, s, status);
    }

    public ReplicaSet withStatus(Status s) {
        return new ReplicaSet(metadata, spec, s);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(int replicas, LabelSelector selector, PodTemplateSpec template) {
        public Spec withReplicas(int r) {
            return new Spec(r, selector, template);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(int replicas, int readyReplicas, int availableReplicas, Long observedGeneration) {
    }
}
