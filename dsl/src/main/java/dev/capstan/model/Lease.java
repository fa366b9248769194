package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A node's heartbeat (namespace {@code capstan-node-lease}, one per node), renewed by its agent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Lease(String apiVersion, String kind, ObjectMeta metadata, Spec spec) implements KubeObject {

    public static final String NODE_LEASE_NAMESPACE = "capstan-node-lease";

    public Lease {
        apiVersion = "coordination.k8s.io/v1";
        kind = "Lease";
    }

    public Lease(ObjectMeta metadata, Spec spec) {
        this("coordination.k8s.io/v1", "Lease", metadata, spec);
    }

    @Override
    public Lease withMetadata(ObjectMeta m) {
        return new Lease(m, spec);
    }

    public Lease withSpec(Spec s) {
        return new Lease(metadata, s);
    }

    /** Times are RFC 3339 with microseconds, as Kubernetes' MicroTime. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(String holderIdentity, Integer leaseDurationSeconds, String acquireTime, String renewTime) {
    }
}
