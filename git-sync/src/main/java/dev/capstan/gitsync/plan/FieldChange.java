package dev.capstan.gitsync.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One field that differs between base and head.
 *
 * @param path   a readable path relative to the object: {@code replicas}, {@code image}, {@code env[LOG_LEVEL]},
 *               {@code ports[http].containerPort}, {@code labels.tier}, {@code resources.requests.memory};
 *               list elements that have a name are addressed by it
 * @param before the base value, null when the field is new
 * @param after  the head value, null when the field was removed
 */
public record FieldChange(String path, JsonNode before, JsonNode after) {

    /** {@code 3}, {@code a/b:1.0}, {@code ["sh","-c"]}, or {@code (none)} for an absent value. */
    public static String show(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "(none)";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** {@code replicas 3 → 5} without the alignment. */
    @Override
    public String toString() {
        return path + " " + show(before) + " → " + show(after);
    }
}
