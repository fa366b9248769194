package dev.capstan.engine.api;

import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A resource URL taken apart, as Kubernetes lays them out:
 * {@code /api/v1/PLURAL[/NAME[/SUB]]} for cluster-scoped kinds and cluster-wide collections, and
 * {@code /api/v1/namespaces/NS/PLURAL[/NAME[/SUB]]} (or {@code /apis/GROUP/VERSION/...}) for namespaced ones.
 *
 * @param namespace null for cluster-scoped kinds and cluster-wide collections
 * @param name      null for a collection
 * @param subresource {@code status} or {@code log}, null otherwise
 */
record ApiPath(Kind<?> kind, String namespace, String name, String subresource) {

    private static final Set<String> POD_SUBRESOURCES = Set.of("status", "log");
    private static final Set<String> NODE_SUBRESOURCES = Set.of("status");

    boolean isCollection() {
        return name == null;
    }

    /** Parses a decoded path; empty when it names no served resource (a 404). */
    static Optional<ApiPath> parse(String path) {
        List<String> seg = segments(path);
        int rest;
        String group;
        String version;
        if (seg.size() >= 3 && seg.get(0).equals("api")) {
            group = "";
            version = seg.get(1);
            rest = 2;
        } else if (seg.size() >= 4 && seg.get(0).equals("apis")) {
            group = seg.get(1);
            version = seg.get(2);
            rest = 3;
        } else {
            return Optional.empty();
        }
        List<String> r = seg.subList(rest, seg.size());
        if (r.size() >= 3 && r.get(0).equals("namespaces")) {
            Optional<Kind<?>> nsKind = kind(group, version, r.get(2));
            if (nsKind.isPresent() && nsKind.get().namespaced()) {
                if (r.size() > 5) {
                    return Optional.empty();
                }
                return of(nsKind.get(), r.get(1), r.size() > 3 ? r.get(3) : null, r.size() > 4 ? r.get(4) : null);
            }
        }
        Optional<Kind<?>> k = kind(group, version, r.get(0));
        if (k.isEmpty() || r.size() > 3 || (k.get().namespaced() && r.size() > 1)) {
            return Optional.empty();
        }
        return of(k.get(), null, r.size() > 1 ? r.get(1) : null, r.size() > 2 ? r.get(2) : null);
    }

    private static Optional<ApiPath> of(Kind<?> kind, String namespace, String name, String sub) {
        if (sub != null) {
            Set<String> allowed = kind == Kinds.POD ? POD_SUBRESOURCES
                    : kind == Kinds.NODE ? NODE_SUBRESOURCES : Set.of();
            if (!allowed.contains(sub)) {
                return Optional.empty();
            }
        }
        return Optional.of(new ApiPath(kind, namespace, name, sub));
    }

    static Optional<Kind<?>> kind(String group, String version, String plural) {
        for (Kind<?> k : Kinds.ALL) {
            if (k.group().equals(group) && k.version().equals(version) && k.plural().equals(plural)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
