package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Spread matching pods across {@code topologyKey} domains; {@code whenUnsatisfiable} DoNotSchedule or ScheduleAnyway. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TopologySpreadConstraint(int maxSkew, String topologyKey, String whenUnsatisfiable,
                                       LabelSelector labelSelector) {
}
