package dev.capstan.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kubernetes' ObjectMeta, the fields Capstan uses. Maps and lists are never mutated in place. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ObjectMeta(String name, String namespace, String uid, Map<String, String> labels,
                         Map<String, String> annotations, String resourceVersion, Long generation,
                         String creationTimestamp, String deletionTimestamp, List<OwnerReference> ownerReferences,
                         String generateName) {

    /** Annotation naming the {@code .cap} file and line an object came from. */
    public static final String SOURCE = "capstan.dev/source";
    /** Annotation naming the commit that produced an object. */
    public static final String COMMIT = "capstan.dev/commit";
    /** Label on every object applied from Git (value: {@code capstan}). */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    public ObjectMeta {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        ownerReferences = ownerReferences == null ? List.of() : List.copyOf(ownerReferences);
    }

    public static ObjectMeta of(String namespace, String name) {
        return new ObjectMeta(name, namespace, null, null, null, null, null, null, null, null, null);
    }

    public static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    public ObjectMeta withName(String n) {
        return new ObjectMeta(n, namespace, uid, labels, annotations, resourceVersion, generation, creationTimestamp,
                deletionTimestamp, ownerReferences, generateName);
    }

    public ObjectMeta withUid(String u) {
        return new ObjectMeta(name, namespace, u, labels, annotations, resourceVersion, generation, creationTimestamp,
                deletionTimestamp, ownerReferences, generateName);
    }

    public ObjectMeta withLabels(Map<String, String> l) {
        return new ObjectMeta(name, namespace, uid, l, annotations, resourceVersion, generation, creationTimestamp,
                deletionTimestamp, ownerReferences, generateName);
    }

    public ObjectMeta withLabel(String k, String v) {
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put(k, v);
        return withLabels(l);
    }

    public ObjectMeta withAnnotations(Map<String, String> a) {
        return new ObjectMeta(name, namespace, uid, labels, a, resourceVersion, generation, creationTimestamp,
                deletionTimestamp, ownerReferences, generateName);
    }

    public ObjectMeta withAnnotation(String k, String v) {
        Map<String, String> a = new LinkedHashMap<>(annotations);
        a.put(k, v);
        return withAnnotations(a);
    }

    public ObjectMeta withResourceVersion(String rv) {
        return new ObjectMeta(name, namespace, uid, labels, annotations, rv, generation, creationTimestamp,
                deletionTimestamp, ownerReferences, generateName);
    }

    public ObjectMeta withGeneration(Long g) {
        return new ObjectMeta(name, namespace, uid, labels, annotations, resourceVersion, g, creationTimestamp,
                deletionTimestamp, ownerReferences, generateName);
    }

    public ObjectMeta withCreationTimestamp(String t) {
        return new ObjectMeta(name, namespace, uid, labels, annotations, resourceVersion, generation, t,
                deletionTimestamp, ownerReferences, generateName);
    }

    public ObjectMeta withDeletionTimestamp(String t) {
        return new ObjectMeta(name, namespace, uid, labels, annotations, resourceVersion, generation,
                creationTimestamp, t, ownerReferences, generateName);
    }

    public ObjectMeta withOwnerReferences(List<OwnerReference> o) {
        return new ObjectMeta(name, namespace, uid, labels, annotations, resourceVersion, generation,
                creationTimestamp, deletionTimestamp, o, generateName);
    }

    /** The controlling owner, if any. */
    public OwnerReference controller() {
        for (OwnerReference o : ownerReferences) {
            if (Boolean.TRUE.equals(o.controller())) {
                return o;
            }
        }
        return null;
    }

    public String label(String k) {
        return labels.get(k);
    }

    public String annotation(String k) {
        return annotations.get(k);
    }
}
