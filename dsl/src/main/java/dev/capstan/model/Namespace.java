package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A namespace; cluster-scoped. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Namespace(String apiVersion, String kind, ObjectMeta metadata, Status status) implements KubeObject {

    public Namespace {
        apiVersion = "v1";
        kind = "Namespace";
    }

    public Namespace(ObjectMeta metadata) {
        this("v1", "Namespace", metadata, new Status("Active"));
    }

    @Override
    public Namespace withMetadata(ObjectMeta m) {
        return new Namespace("v1", "Namespace", m, status);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(String phase) {
    }
}
