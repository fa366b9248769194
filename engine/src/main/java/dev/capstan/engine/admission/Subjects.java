package dev.capstan.engine.admission;

import dev.capstan.dsl.ast.Location;
import dev.capstan.model.Deployment;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Namespace;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/** What policies are evaluated on: one object seen as one kind, with its view, namespace view and source. */
final class Subjects {
    /** Objects per task when the views of a large revision are built on several cores. */
    private static final int CHUNK = 256;
    private Subjects() {
    }

    /**
     * @param labels labels for {@code match} and exceptions (all of the object's labels, {@code app} included)
     */
    record Subject(String kind, String namespaceName, String name, Map<String, Object> view,
                   Map<String, Object> namespace, Map<String, String> labels, Location source) {
    }

    static List<Subject> of(Collection<? extends KubeObject> objects) {
        return of(objects, Set.of("service", "namespace", "deployment", "pod"));
    }

    /** The subjects of the given kinds only (views no policy looks at are not built). */
    static List<Subject> of(Collection<? extends KubeObject> objects, Set<String> kinds) {
        Map<String, Map<String, Object>> namespaces = new HashMap<>();
        Map<String, Service> services = new HashMap<>();
        for (KubeObject o : objects) {
            if (o instanceof Namespace n) {
                namespaces.put(n.metadata().name(), Views.namespace(n));
            } else if (o instanceof Service s) {
                services.put(s.metadata().namespace() + "/" + s.metadata().name(), s);
            }
        }
        List<KubeObject> all = List.copyOf(objects);
        if (all.size() <= CHUNK) {
            List<Subject> out = new ArrayList<>();
            all.forEach(o -> add(o, kinds, namespaces, services, out));
            return out;
        }
        // the views are most of the work for a large revision: build them on all cores, keeping object order
        // (a namespace no Namespace object declares gets its view on first use, hence the concurrent map)
        Map<String, Map<String, Object>> nsViews = new ConcurrentHashMap<>(namespaces);
        List<List<Subject>> parts = IntStream.range(0, (all.size() + CHUNK - 1) / CHUNK).parallel()
                .mapToObj(i -> {
                    List<Subject> part = new ArrayList<>();
                    all.subList(i * CHUNK, Math.min(all.size(), (i + 1) * CHUNK))
                            .forEach(o -> add(o, kinds, nsViews, services, part));
                    return part;
                }).toList();
        List<Subject> out = new ArrayList<>();
        parts.forEach(out::addAll);
        return out;
    }

    /** The subjects of one object, added to {@code out}. */
    private static void add(KubeObject o, Set<String> kinds, Map<String, Map<String, Object>> namespaces,
                            Map<String, Service> services, List<Subject> out) {
        ObjectMeta meta = o.metadata();
        Location source = source(meta);
        if (o instanceof Namespace n && kinds.contains("namespace")) {
            out.add(new Subject("namespace", "", meta.name(), namespaces.get(meta.name()),
                    namespaces.get(meta.name()), labels(meta), source));
        } else if (o instanceof Deployment d) {
            String ns = meta.namespace() == null ? "" : meta.namespace();
            Map<String, Object> nsView = namespaces.computeIfAbsent(ns, k -> Views.namespace(k, null));
            if (kinds.contains("service")) {
                out.add(new Subject("service", ns, meta.name(),
                        Views.service(d, services.get(ns + "/" + meta.name())), nsView, labels(meta), source));
            }
            if (kinds.contains("deployment")) {
                out.add(new Subject("deployment", ns, meta.name(), Views.kube(d), nsView, labels(meta), source));
            }
            if (kinds.contains("pod") && d.spec() != null && d.spec().template() != null) {
                Map<String, Object> pod = new LinkedHashMap<>(Views.kube(Map.of(
                        "apiVersion", "v1", "kind", "Pod",
                        "spec", RecordMaps.record(d.spec().template().spec()))));
                Map<String, String> podLabels = d.spec().template().metadata() == null
                        || d.spec().template().metadata().labels() == null ? labels(meta)
                        : d.spec().template().metadata().labels();
                Map<String, Object> podMeta = new HashMap<>();
                podMeta.put("name", meta.name());
                podMeta.put("namespace", ns);
                podMeta.put("labels", podLabels);
                podMeta.put("annotations", Map.of());
                pod.put("metadata", podMeta);
                out.add(new Subject("pod", ns, meta.name(), pod, nsView, podLabels, source));
            }
        }
    }

    static Subject pod(Map<String, Object> json, Map<String, String> namespaceLabels) {
        Map<String, Object> view = Views.kube(json);
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) view.get("metadata");
        String ns = String.valueOf(meta.get("namespace"));
        @SuppressWarnings("unchecked")
        Map<String, String> labels = meta.get("labels") instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
        Map<String, Object> nsView = new HashMap<>();
        nsView.put("name", ns);
        nsView.put("labels", namespaceLabels == null ? Map.of() : namespaceLabels);
        nsView.put("annotations", Map.of());
        return new Subject("pod", ns, String.valueOf(meta.get("name")), view, nsView, labels, null);
    }

    private static Map<String, String> labels(ObjectMeta meta) {
        return meta.labels() == null ? Map.of() : meta.labels();
    }

    /** {@code capstan.dev/source: path:line} as a location (column 1), or null. */
    static Location source(ObjectMeta meta) {
        String s = meta.annotations() == null ? null : meta.annotations().get(ObjectMeta.SOURCE);
        if (s == null) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        try {
            return new Location(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)), 1);
        } catch (RuntimeException e) {
            return new Location(s, 1, 1);
        }
    }
}
