package dev.capstan.engine.api;

import dev.capstan.model.Kind;
import java.util.Set;

/**
 * What a resource request asks to do, for an {@link Authorizer}: Kubernetes' verb ({@code get list watch
 * create update delete}), the kind, and the namespace, name and subresource when the URL names them
 * (null otherwise). For {@code create} the name comes from the body.
 */
public record RequestAttributes(String verb, Kind<?> kind, String namespace, String name, String subresource) {

    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");

    /** True for create, update, patch and delete, including writes to a subresource. */
    public boolean isWrite() {
        return WRITES.contains(verb);
    }
}
