package dev.capstan.engine.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.io.IOException;
import java.util.stream.Collectors;

/** Request bodies to objects, with errors that say where the body went wrong (never a stack trace). */
final class Bodies {
    private Bodies() {
    }

    record Decoded(KubeObject object, JsonNode tree) {
    }

    static Decoded decode(Kind<?> kind, byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiErrors.badRequest("the request body is empty: expected a JSON " + kind.kind());
        }
        JsonNode tree = tree(body);
        if (!tree.isObject()) {
            throw ApiErrors.badRequest("the request body must be a JSON object (a " + kind.kind() + "), not "
                    + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        String bodyKind = tree.path("kind").asText("");
        if (!bodyKind.isEmpty() && !bodyKind.equals(kind.kind())) {
            throw ApiErrors.badRequest("the body is a " + bodyKind + " but the URL is for "
                    + ApiErrors.resource(kind) + " (kind " + kind.kind() + ")");
        }
        String apiVersion = tree.path("apiVersion").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(kind.apiVersion())) {
            throw ApiErrors.badRequest("the body has apiVersion " + apiVersion + " but " + kind.kind()
                    + " is served as " + kind.apiVersion());
        }
        try {
            return new Decoded(Json.MAPPER.readValue(body, kind.type()), tree);
        } catch (JsonMappingException e) {
            throw ApiErrors.badRequest("the request body is not a valid " + kind.kind() + ": " + where(e)
                    + e.getOriginalMessage() + at(e.getLocation()));
        } catch (IOException e) {
            throw ApiErrors.badRequest("the request body cannot be read: " + e.getMessage());
        }
    }

    static JsonNode tree(byte[] body) {
        try {
            JsonNode tree = Json.MAPPER.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw ApiErrors.badRequest("the request body is empty: expected JSON");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw ApiErrors.badRequest("the request body is not valid JSON: " + firstLine(e.getOriginalMessage())
                    + at(e.getLocation()));
        } catch (IOException e) {
            throw ApiErrors.badRequest("the request body cannot be read: " + e.getMessage());
        }
    }

    /** {@code preconditions.resourceVersion} of a DeleteOptions body, or null. */
    static String preconditionResourceVersion(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        JsonNode rv = tree(body).path("preconditions").path("resourceVersion");
        return rv.isTextual() && !rv.asText().isEmpty() ? rv.asText() : null;
    }

    /** DeleteOptions' {@code gracePeriodSeconds}, or null when the body does not say. */
    static Long gracePeriodSeconds(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        JsonNode g = tree(body).path("gracePeriodSeconds");
        return g.isIntegralNumber() ? g.asLong() : null;
    }

    private static String where(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return "";
        }
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path + ": ";
    }

    private static String at(JsonLocation l) {
        return l == null || l.getLineNr() < 1 ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
