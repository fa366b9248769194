package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A pod template, as in a Deployment or ReplicaSet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PodTemplateSpec(ObjectMeta metadata, PodSpec spec) {
}
