package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A container in a pod template: Kubernetes' Container, the fields Capstan uses. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Container(String name, String image, List<String> command, List<String> args, List<EnvVar> env,
                        List<ContainerPort> ports, Resources resources, String workingDir, Probe livenessProbe,
                        Probe readinessProbe, Probe startupProbe) {

    public Container {
        command = command == null ? List.of() : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** A container without probes. */
    public Container(String name, String image, List<String> command, List<String> args, List<EnvVar> env,
                     List<ContainerPort> ports, Resources resources, String workingDir) {
        this(name, image, command, args, env, ports, resources, workingDir, null, null, null);
    }

    public Container withPorts(List<ContainerPort> p) {
        return new Container(name, image, command, args, env, p, resources, workingDir, livenessProbe, readinessProbe,
                startupProbe);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EnvVar(String name, String value) {
    }

    /** A named container port; {@code hostPort} is assigned by the node agent from its port range. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ContainerPort(String name, Integer containerPort, Integer hostPort, String protocol) {
    }

    /** Requests and limits as Kubernetes quantity strings, e.g. {@code cpu: 100m}, {@code memory: 32Mi}. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Resources(Map<String, String> requests, Map<String, String> limits) {
        public Resources {
            requests = requests == null ? Map.of() : Map.copyOf(requests);
            limits = limits == null ? Map.of() : Map.copyOf(limits);
        }

        /** Requested millicores (the limit when no request is given), 0 when unset. */
        public long cpuMillis() {
            String q = requests.getOrDefault("cpu", limits.get("cpu"));
            return q == null ? 0 : Quantity.parseCpuMillis(q);
        }

        /** Requested bytes of memory (the limit when no request is given), 0 when unset. */
        public long memoryBytes() {
            String q = requests.getOrDefault("memory", limits.get("memory"));
            return q == null ? 0 : Quantity.parseBytes(q);
        }
    }
}
