package dev.capstan.dsl.internal;

import dev.capstan.model.Affinity;
import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.Probe;
import dev.capstan.model.Toleration;
import dev.capstan.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/**
 * What the analyzer hands to lowering: checked, resolved declarations, free of source syntax. Maps keep
 * source order.
 */
record Program(List<NamespaceSpec> namespaces, List<ServiceSpec> services, List<WorkloadSpec> workloads) {

    Program(List<NamespaceSpec> namespaces, List<ServiceSpec> services) {
        this(namespaces, services, List.of());
    }

    /**
     * A checked {@code job} or {@code daemon} block: its pod as a service spec, and for jobs the counts (null:
     * Kubernetes' default).
     */
    record WorkloadSpec(String kind, ServiceSpec pod, Integer completions, Integer parallelism, Integer backoffLimit) {
    }

    /** A checked namespace; {@code source} is {@code path:line}. */
    record NamespaceSpec(String name, Map<String, String> labels, String source) {
    }

    /** A checked service; {@code resources} maps cpu/memory to quantities as written. */
    record ServiceSpec(String name, String namespace, String source, String image, List<String> command,
                       List<String> args, List<Container.EnvVar> env, int replicas, List<PortSpec> ports,
                       Map<String, String> labels, Map<String, String> resources, PodSettings pod) {
    }

    /**
     * A service's pod settings in Kubernetes form; null fields take Kubernetes' defaults. {@code restartPolicy}
     * is Always, OnFailure or Never; {@code update} is never null.
     */
    record PodSettings(Map<String, String> annotations, String restartPolicy, Long stopGraceSeconds,
                       Probe liveness, Probe readiness, Probe startup, Deployment.RollingUpdate update,
                       Integer priority, Placement placement) {
    }

    /** Where the pods may run. {@code affinity} is null when no affinity is set. */
    record Placement(Map<String, String> nodeSelector, Affinity affinity, List<Toleration> tolerations,
                     List<TopologySpreadConstraint> spread) {
    }

    /**
     * A port: the container listens on {@code containerPort}; the Service publishes {@code servicePort}, and every
     * node {@code nodePort} when it is not null, or a node port the control plane allocates when
     * {@code nodePortAuto}.
     */
    record PortSpec(String name, int containerPort, int servicePort, Integer nodePort, boolean nodePortAuto) {
    }
}
