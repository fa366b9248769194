package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A condition as Kubernetes reports them on pods, nodes and deployments. {@code status} is True, False or Unknown. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Condition(String type, String status, String reason, String message, String lastTransitionTime,
                        String lastHeartbeatTime, String lastUpdateTime) {

    /** A condition without {@code lastUpdateTime} (pods and nodes; deployments use it for the progress deadline). */
    public Condition(String type, String status, String reason, String message, String lastTransitionTime,
                     String lastHeartbeatTime) {
        this(type, status, reason, message, lastTransitionTime, lastHeartbeatTime, null);
    }

    public static Condition of(String type, boolean status, String reason, String message) {
        String now = Times.now();
        return new Condition(type, status ? "True" : "False", reason, message, now, null);
    }

    public boolean isTrue() {
        return "True".equals(status);
    }
}
