package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Something a user would want to know happened to an object ({@code type} Normal or Warning). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Event(String apiVersion, String kind, ObjectMeta metadata, ObjectReference involvedObject,
                    String reason, String message, String type, Integer count, String firstTimestamp,
                    String lastTimestamp, Source source) implements KubeObject {

    public Event {
        apiVersion = "v1";
        kind = "Event";
    }

    @Override
    public Event withMetadata(ObjectMeta m) {
        return new Event(apiVersion, kind, m, involvedObject, reason, message, type, count, firstTimestamp,
                lastTimestamp, source);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ObjectReference(String kind, String namespace, String name, String uid, String apiVersion) {
        public static ObjectReference to(KubeObject o) {
            return new ObjectReference(o.kind(), o.metadata().namespace(), o.metadata().name(), o.metadata().uid(),
                    o.apiVersion());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String component, String host) {
    }
}
