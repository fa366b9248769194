package dev.capstan.model;

import java.util.List;

/**
 * One kind of stored object: its names as the API serves them and the record that holds it.
 *
 * @param group      API group, "" for the core group
 * @param namespaced false for cluster-scoped kinds (Namespace, Node, Revision)
 */
public record Kind<T extends KubeObject>(String kind, String plural, String singular, String group, String version,
                                         boolean namespaced, Class<T> type, List<String> shortNames) {

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** URL prefix of the group/version: {@code /api/v1} or {@code /apis/apps/v1}. */
    public String apiPrefix() {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    @Override
    public String toString() {
        return kind;
    }
}
