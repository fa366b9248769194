package dev.capstan.engine.api;

import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import java.util.Set;

/**
 * Git is the only source of desired state: refuses writes (create, update, delete) to the kinds that Git
 * owns (Namespace, Deployment, Service) from anyone but {@link Identity.Role#ADMIN} and
 * {@link Identity.Role#CONTROLLER} identities, with the message {@code change it in Git: commit to <where>}.
 * Status writes stay allowed: status is the one thing that flows back.
 */
public final class GitWriteGuard implements Authorizer {

    /** The kinds whose desired state lives in Git. */
    public static final Set<Kind<?>> GIT_OWNED = Set.of(Kinds.NAMESPACE, Kinds.DEPLOYMENT, Kinds.JOB,
            Kinds.DAEMON_SET, Kinds.SERVICE);
    /** What the message names when no repository is configured. */
    public static final String DEFAULT_WHERE = "the repository that Capstan follows";

    private final String message;

    /** @param where the repository (and path) users should commit to, e.g. {@code https://git/x.git services/} */
    public GitWriteGuard(String where) {
        this.message = "change it in Git: commit to " + (where == null || where.isBlank() ? DEFAULT_WHERE : where);
    }

    public static GitWriteGuard defaults() {
        return new GitWriteGuard(DEFAULT_WHERE);
    }

    public String message() {
        return message;
    }

    @Override
    public Decision authorize(Identity who, RequestAttributes request) {
        if (!request.isWrite() || "status".equals(request.subresource()) || !GIT_OWNED.contains(request.kind())) {
            return Decision.ALLOW;
        }
        if (who.role() == Identity.Role.ADMIN || who.role() == Identity.Role.CONTROLLER) {
            return Decision.ALLOW;
        }
        return Decision.deny(message);
    }
}
