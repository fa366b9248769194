package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A liveness, readiness or startup probe, as Kubernetes has it: exactly one of {@code httpGet},
 * {@code tcpSocket}, {@code exec}. Null numbers take Kubernetes' defaults (period 10 s, timeout 1 s,
 * success 1, failure 3, no initial delay).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Probe(HttpGet httpGet, TcpSocket tcpSocket, Exec exec, Integer initialDelaySeconds,
                    Integer periodSeconds, Integer timeoutSeconds, Integer successThreshold,
                    Integer failureThreshold) {

    public int periodOrDefault() {
        return periodSeconds == null ? 10 : periodSeconds;
    }

    public int timeoutOrDefault() {
        return timeoutSeconds == null ? 1 : timeoutSeconds;
    }

    public int successThresholdOrDefault() {
        return successThreshold == null ? 1 : successThreshold;
    }

    public int failureThresholdOrDefault() {
        return failureThreshold == null ? 3 : failureThreshold;
    }

    /** {@code port} is a container port's name or number, as a string (Kubernetes' IntOrString). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HttpGet(String path, String port, String scheme) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TcpSocket(String port) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Exec(List<String> command) {
        public Exec {
            command = command == null ? List.of() : List.copyOf(command);
        }
    }
}
