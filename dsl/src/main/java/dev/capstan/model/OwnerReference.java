package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Points at the object that owns this one; garbage collection follows these. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OwnerReference(String apiVersion, String kind, String name, String uid, Boolean controller) {

    public static OwnerReference controlledBy(KubeObject owner) {
        return new OwnerReference(owner.apiVersion(), owner.kind(), owner.metadata().name(), owner.metadata().uid(),
                true);
    }
}
