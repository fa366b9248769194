package dev.capstan.dsl.policy;

import dev.capstan.dsl.ast.Location;
import java.util.Map;

/** {@code bind POLICY in NAMESPACE { param = value }}: parameter values for the objects of one namespace. */
public record Binding(String policy, String namespace, Map<String, Object> params, Location location) {
    public Binding {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }
}
