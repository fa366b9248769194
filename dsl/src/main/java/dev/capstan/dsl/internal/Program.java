package dev.capstan.dsl.internal;

import dev.capstan.model.Container;
import java.util.List;
import java.util.Map;

/**
 * What the analyzer hands to lowering: checked, resolved declarations, free of source syntax. Maps keep
 * source order.
 */
record Program(List<NamespaceSpec> namespaces, List<ServiceSpec> services) {

    /** A checked namespace; {@code source} is {@code path:line}. */
    record NamespaceSpec(String name, Map<String, String> labels, String source) {
    }

    /** A checked service; {@code resources} maps cpu/memory to quantities as written. */
    record ServiceSpec(String name, String namespace, String source, String image, List<String> command,
                       List<String> args, List<Container.EnvVar> env, int replicas, List<PortSpec> ports,
                       Map<String, String> labels, Map<String, String> resources) {
    }

    /** A port: the container listens on {@code containerPort}; the Service publishes {@code servicePort}. */
    record PortSpec(String name, int containerPort, int servicePort) {
    }
}
