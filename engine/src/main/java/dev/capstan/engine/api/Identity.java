package dev.capstan.engine.api;

import java.util.Objects;

/**
 * Who sent a request, as a bearer token names it. {@link Role#NODE} identities are named after their node,
 * so an {@link Authorizer} can restrict a node to its own Node and pods.
 */
public record Identity(String name, Role role) {

    /** What an identity is for; authorizers decide what each may do. */
    public enum Role {
        /** The operator and Capstan's own agents: may do everything. */
        ADMIN,
        /** Controllers and git-sync: may write desired state. */
        CONTROLLER,
        /** A node agent; {@link Identity#name()} is the node's name. */
        NODE,
        /** A person: may read, and write what Git does not own. */
        USER
    }

    public Identity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    public static Identity admin() {
        return new Identity("admin", Role.ADMIN);
    }

    public static Identity controller(String name) {
        return new Identity(name, Role.CONTROLLER);
    }

    public static Identity node(String nodeName) {
        return new Identity(nodeName, Role.NODE);
    }

    public static Identity user(String name) {
        return new Identity(name, Role.USER);
    }
}
