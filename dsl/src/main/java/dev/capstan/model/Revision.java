package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A Git commit the cluster has seen; cluster-scoped, named after the commit's short SHA. Phase is
 * Applied, Rejected or Superseded; a rejected revision carries its diagnostics.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Revision(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
        implements KubeObject {

    public static final String APPLIED = "Applied";
    public static final String REJECTED = "Rejected";
    public static final String SUPERSEDED = "Superseded";

    public Revision {
        apiVersion = "capstan.dev/v1";
        kind = "Revision";
    }

    public Revision(ObjectMeta metadata, Spec spec, Status status) {
        this("capstan.dev/v1", "Revision", metadata, spec, status);
    }

    @Override
    public Revision withMetadata(ObjectMeta m) {
        return new Revision(m, spec, status);
    }

    public Revision withStatus(Status s) {
        return new Revision(metadata, spec, s);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(String commit, String author, String message, String commitTime, String repository,
                       String branch, String path) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status(String phase, List<String> diagnostics, Integer objects, String observedTime) {
        public Status {
            diagnostics = diagnostics == null ? List.of() : List.copyOf(diagnostics);
        }
    }
}
