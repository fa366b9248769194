package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;

/** Kubernetes {@code Status} objects and the refusals the server makes itself. */
final class ApiErrors {
    private ApiErrors() {
    }

    static ObjectNode status(int code, String reason, String message) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", code < 400 ? "Success" : "Failure");
        s.put("message", message);
        if (reason != null) {
            s.put("reason", reason);
        }
        s.put("code", code);
        return s;
    }

    static ObjectNode status(StoreException e) {
        return status(e.httpStatus(), e.reason(), e.getMessage());
    }

    static StoreException badRequest(String message) {
        return new StoreException(400, "BadRequest", message);
    }

    static StoreException invalid(String message) {
        return new StoreException(422, "Invalid", message);
    }

    static StoreException notFound(Kind<?> kind, String name) {
        return new StoreException(404, "NotFound", resource(kind) + " \"" + name + "\" not found");
    }

    static StoreException noSuchPath() {
        return new StoreException(404, "NotFound", "the server could not find the requested resource");
    }

    static StoreException methodNotAllowed() {
        return new StoreException(405, "MethodNotAllowed",
                "the server does not allow this method on the requested resource");
    }

    static StoreException unauthorized() {
        return new StoreException(401, "Unauthorized", "Unauthorized");
    }

    static StoreException forbidden(String message) {
        return new StoreException(403, "Forbidden", message);
    }

    static StoreException expired(String message) {
        return new StoreException(410, "Expired", message);
    }

    /** Kubernetes' qualified resource name: {@code pods}, {@code deployments.apps}. */
    static String resource(Kind<?> kind) {
        return kind.group().isEmpty() ? kind.plural() : kind.plural() + "." + kind.group();
    }
}
