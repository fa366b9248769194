package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Runs pods of one template to completion (batch/v1 Job): {@code completions} successful pods, at most
 * {@code parallelism} at a time, failing the job after more than {@code backoffLimit} failures. What one
 * {@code job} block compiles to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Job(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
        implements KubeObject {

    /** Label on a job's pods: the job's name. */
    public static final String JOB_NAME = "job-name";

    public Job {
        apiVersion = "batch/v1";
        kind = "Job";
    }

    public Job(ObjectMeta metadata, Spec spec, Status status) {
        this("batch/v1", "Job", metadata, spec, status);
    }

    @Override
    public Job withMetadata(ObjectMeta m) {
        return new Job(m, spec, status);
    }

    public Job withStatus(Status s) {
        return new Job(metadata, spec, s);
    }

    /** Defaults as Kubernetes has them: completions 1, parallelism 1, backoffLimit 6. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(Integer completions, Integer parallelism, Integer backoffLimit, LabelSelector selector,
                       PodTemplateSpec template) {
        public int completionsOrDefault() {
            return completions == null ? 1 : Math.max(0, completions);
        }

        public int parallelismOrDefault() {
            return parallelism == null ? 1 : Math.max(0, parallelism);
        }

        public int backoffLimitOrDefault() {
            return backoffLimit == null ? 6 : Math.max(0, backoffLimit);
        }
    }

    /** Conditions {@code Complete} or {@code Failed} (True) once the job has ended. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(int active, int succeeded, int failed, String startTime, String completionTime,
                         List<Condition> conditions) {
        public Status {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }

        /** The condition of this type that is True, if any. */
        public boolean has(String type) {
            return conditions.stream().anyMatch(c -> type.equals(c.type()) && c.isTrue());
        }
    }

    /** True once the job has a Complete or Failed condition. */
    public boolean isFinished() {
        return status != null && (status.has("Complete") || status.has("Failed"));
    }
}
