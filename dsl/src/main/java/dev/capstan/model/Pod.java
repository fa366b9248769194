package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The unit of scheduling: one or more containers run together on one node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Pod(String apiVersion, String kind, ObjectMeta metadata, PodSpec spec, Status status)
        implements KubeObject {

    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    public Pod {
        apiVersion = "v1";
        kind = "Pod";
    }

    public Pod(ObjectMeta metadata, PodSpec spec, Status status) {
        this("v1", "Pod", metadata, spec, status);
    }

    @Override
    public Pod withMetadata(ObjectMeta m) {
        return new Pod(m, spec, status);
    }

    public Pod withSpec(PodSpec s) {
        return new Pod(metadata, s, status);
    }

    public Pod withStatus(Status s) {
        return new Pod(metadata, spec, s);
    }

    public String phase() {
        return status == null || status.phase() == null ? PENDING : status.phase();
    }

    public boolean isTerminal() {
        return SUCCEEDED.equals(phase()) || FAILED.equals(phase());
    }

    /** True when the Ready condition is True. */
    public boolean isReady() {
        return status != null && status.conditions().stream()
                .anyMatch(c -> "Ready".equals(c.type()) && "True".equals(c.status()));
    }

    public String nodeName() {
        return spec == null ? null : spec.nodeName();
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(String phase, List<Condition> conditions, String message, String reason, String hostIP,
                         String podIP, String startTime, List<ContainerStatus> containerStatuses) {
        public Status {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
            containerStatuses = containerStatuses == null ? List.of() : List.copyOf(containerStatuses);
        }

        public static Status pending(List<Condition> conditions, String message, String reason) {
            return new Status(PENDING, conditions, message, reason, null, null, null, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ContainerStatus(String name, boolean ready, int restartCount, State state, State lastState,
                                  String image, String containerID, Boolean started) {
    }

    /** Exactly one of the three is set, as in Kubernetes' ContainerState. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record State(Running running, Waiting waiting, Terminated terminated) {
        public static State running(String startedAt) {
            return new State(new Running(startedAt), null, null);
        }

        public static State waiting(String reason, String message) {
            return new State(null, new Waiting(reason, message), null);
        }

        public static State terminated(int exitCode, String reason, String message, String startedAt,
                                       String finishedAt) {
            return new State(null, null, new Terminated(exitCode, reason, message, startedAt, finishedAt));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Running(String startedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Waiting(String reason, String message) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Terminated(int exitCode, String reason, String message, String startedAt, String finishedAt) {
    }
}
