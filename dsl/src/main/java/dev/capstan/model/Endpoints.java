package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The ready addresses behind a Service, kept by the endpoints controller. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Endpoints(String apiVersion, String kind, ObjectMeta metadata, List<Subset> subsets)
        implements KubeObject {

    public Endpoints {
        apiVersion = "v1";
        kind = "Endpoints";
        subsets = subsets == null ? List.of() : List.copyOf(subsets);
    }

    public Endpoints(ObjectMeta metadata, List<Subset> subsets) {
        this("v1", "Endpoints", metadata, subsets);
    }

    @Override
    public Endpoints withMetadata(ObjectMeta m) {
        return new Endpoints(m, subsets);
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Subset(List<Address> addresses, List<Address> notReadyAddresses, List<Port> ports) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Address(String ip, String nodeName, TargetRef targetRef) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TargetRef(String kind, String namespace, String name, String uid) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Port(String name, int port, String protocol) {
    }
}
