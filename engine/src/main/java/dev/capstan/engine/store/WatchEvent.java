package dev.capstan.engine.store;

import dev.capstan.model.KubeObject;

/** A change to one object, as a Kubernetes watch reports it; for DELETED the object is its last state. */
public record WatchEvent<T extends KubeObject>(Type type, T object) {
    public enum Type { ADDED, MODIFIED, DELETED }
}
