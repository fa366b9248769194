package dev.capstan.model;

/**
 * Any stored object: apiVersion, kind and metadata, as Kubernetes has them. Implementations are
 * records; {@link #withMetadata} returns a copy of the same type (covariant in each record).
 */
public interface KubeObject {
    String apiVersion();

    String kind();

    ObjectMeta metadata();

    KubeObject withMetadata(ObjectMeta metadata);

    /** {@code namespace/name}, or {@code name} for cluster-scoped objects: the store key. */
    default String key() {
        return ObjectMeta.key(metadata().namespace(), metadata().name());
    }
}
