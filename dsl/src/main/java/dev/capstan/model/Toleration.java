package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Lets a pod go on nodes with a matching taint. {@code operator} is Equal (default) or Exists; an empty
 * {@code effect} matches every effect (NoSchedule, PreferNoSchedule, NoExecute).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Toleration(String key, String operator, String value, String effect, Long tolerationSeconds) {

    public boolean tolerates(Node.Taint t) {
        if (effect != null && !effect.isEmpty() && !effect.equals(t.effect())) {
            return false;
        }
        if (key == null || key.isEmpty()) {
            return "Exists".equals(operator);
        }
        if (!key.equals(t.key())) {
            return false;
        }
        return "Exists".equals(operator) || java.util.Objects.equals(value == null ? "" : value,
                t.value() == null ? "" : t.value());
    }
}
