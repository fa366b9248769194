package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A stable name and virtual address in front of the pods its selector matches. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Service(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
        implements KubeObject {

    public Service {
        apiVersion = "v1";
        kind = "Service";
    }

    public Service(ObjectMeta metadata, Spec spec) {
        this("v1", "Service", metadata, spec, null);
    }

    @Override
    public Service withMetadata(ObjectMeta m) {
        return new Service("v1", "Service", m, spec, status);
    }

    public Service withSpec(Spec s) {
        return new Service("v1", "Service", metadata, s, status);
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Spec(Map<String, String> selector, List<Port> ports, String clusterIP, String type) {
        public Spec {
            selector = selector == null ? Map.of() : Map.copyOf(selector);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }

        public Spec withClusterIP(String ip) {
            return new Spec(selector, ports, ip, type);
        }
    }

    /**
     * {@code targetPort} names the container port (a string, as Kubernetes allows); {@code nodePort} (null when
     * none) is the port every node also listens on, for {@code type: NodePort}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Port(String name, int port, String targetPort, String protocol, Integer nodePort) {
        public Port(String name, int port, String targetPort, String protocol) {
            this(name, port, targetPort, protocol, null);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Status() {
    }
}
