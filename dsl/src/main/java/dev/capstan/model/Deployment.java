package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Keeps N replicas of a pod template through ReplicaSets; what one {@code service} block compiles to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Deployment(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
        implements KubeObject {

    public Deployment {
        apiVersion = "apps/v1";
        kind = "Deployment";
    }

    public Deployment(ObjectMeta metadata, Spec spec, Status status) {
        this("apps/v1", "Deployment", metadata, spec, status);
    }

    @Override
    public Deployment withMetadata(ObjectMeta m) {
        return new Deployment(m, spec, status);
    }

    public Deployment withSpec(Spec s) {
        return new Deployment(metadata, s, status);
    }

    public Deployment withStatus(Status s) {
        return new Deployment(metadata, spec, s);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(int replicas, LabelSelector selector, PodTemplateSpec template, Strategy strategy,
                       Integer progressDeadlineSeconds, Integer revisionHistoryLimit) {
        /** Kubernetes' defaults: a rollout without progress for 600 s has failed; 10 old ReplicaSets are kept. */
        public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
        public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

        /** A spec with the default progress deadline and revision history limit. */
        public Spec(int replicas, LabelSelector selector, PodTemplateSpec template, Strategy strategy) {
            this(replicas, selector, template, strategy, null, null);
        }

        public Spec withReplicas(int r) {
            return new Spec(r, selector, template, strategy, progressDeadlineSeconds, revisionHistoryLimit);
        }

        public Spec withProgressDeadlineSeconds(Integer seconds) {
            return new Spec(replicas, selector, template, strategy, seconds, revisionHistoryLimit);
        }

        public Spec withRevisionHistoryLimit(Integer limit) {
            return new Spec(replicas, selector, template, strategy, progressDeadlineSeconds, limit);
        }

        public int progressDeadline() {
            return progressDeadlineSeconds == null ? DEFAULT_PROGRESS_DEADLINE_SECONDS : progressDeadlineSeconds;
        }

        public int historyLimit() {
            return revisionHistoryLimit == null ? DEFAULT_REVISION_HISTORY_LIMIT : Math.max(0, revisionHistoryLimit);
        }
    }

    /** {@code RollingUpdate} with maxSurge / maxUnavailable as counts ("1") or percentages ("25%"). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Strategy(String type, RollingUpdate rollingUpdate) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RollingUpdate(String maxSurge, String maxUnavailable) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(Long observedGeneration, int replicas, int updatedReplicas, int readyReplicas,
                         int availableReplicas, List<Condition> conditions) {
        public Status {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }
    }
}
