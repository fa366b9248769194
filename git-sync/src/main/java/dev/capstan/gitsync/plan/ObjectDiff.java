package dev.capstan.gitsync.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.Deployment;
import dev.capstan.model.Json;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Pairs base and head objects by kind, namespace and name, and diffs each pair field by field. Pure.
 *
 * <p>Capstan's bookkeeping is not a change: the {@code capstan.dev/source} and {@code capstan.dev/commit}
 * annotations (line numbers move when a file is edited above a service), status, and server-set metadata
 * (uid, resourceVersion, generation, creation time) are left out before comparing. Lists whose elements all
 * have a {@code name} (containers, env, ports) are compared by name, so reordering is no change and an added
 * variable shows as {@code env[DEBUG]}; other lists are compared whole.
 */
public final class ObjectDiff {
    /** Kinds in the order a plan lists them (then by namespace and name). */
    static final List<String> KIND_ORDER = List.of("Namespace", "Deployment", "Service");

    private ObjectDiff() {
    }

    /** Every added, changed and removed object, ordered by kind, namespace, name. */
    public static List<ObjectChange> diff(List<KubeObject> base, List<KubeObject> head) {
        Map<String, KubeObject> before = index(base);
        Map<String, KubeObject> after = index(head);
        Set<String> ids = new LinkedHashSet<>(before.keySet());
        ids.addAll(after.keySet());
        List<ObjectChange> out = new ArrayList<>();
        for (String id : ids) {
            KubeObject b = before.get(id);
            KubeObject a = after.get(id);
            if (b == null) {
                out.add(change(ObjectChange.Action.ADDED, a, List.of(), impact(null, a)));
            } else if (a == null) {
                out.add(change(ObjectChange.Action.REMOVED, b, List.of(), impact(b, null)));
            } else {
                List<FieldChange> fields = fields(b, a);
                if (!fields.isEmpty()) {
                    out.add(change(ObjectChange.Action.CHANGED, a, fields, impact(b, a)));
                }
            }
        }
        out.sort((x, y) -> {
            int k = Integer.compare(kindRank(x.kind()), kindRank(y.kind()));
            if (k != 0) {
                return k;
            }
            int n = Objects.toString(x.namespace(), "").compareTo(Objects.toString(y.namespace(), ""));
            return n != 0 ? n : x.name().compareTo(y.name());
        });
        return out;
    }

    /** How many objects are in both and equal after bookkeeping is left out. */
    public static int unchanged(List<KubeObject> base, List<KubeObject> head) {
        Map<String, KubeObject> before = index(base);
        int n = 0;
        for (KubeObject a : head) {
            KubeObject b = before.get(id(a));
            if (b != null && fields(b, a).isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** Field-level changes from {@code b} to {@code a} (same kind and key), paths in readable form. */
    public static List<FieldChange> fields(KubeObject b, KubeObject a) {
        JsonNode before = comparable(b);
        JsonNode after = comparable(a);
        List<FieldChange> raw = new ArrayList<>();
        walk("", before, after, raw);
        boolean oneContainer = containers(before) <= 1 && containers(after) <= 1;
        List<FieldChange> out = new ArrayList<>(raw.size());
        for (FieldChange c : raw) {
            out.add(new FieldChange(readable(c.path(), oneContainer), c.before(), c.after()));
        }
        return out;
    }

    /** Pods created, replaced and removed when {@code b} becomes {@code a}; either may be null. */
    static PodImpact impact(KubeObject b, KubeObject a) {
        Deployment db = b instanceof Deployment d ? d : null;
        Deployment da = a instanceof Deployment d ? d : null;
        int rb = db == null || db.spec() == null ? 0 : db.spec().replicas();
        int ra = da == null || da.spec() == null ? 0 : da.spec().replicas();
        if (db == null || da == null) {
            return new PodImpact(ra, 0, rb);
        }
        boolean template = !Objects.equals(strip(Json.MAPPER.valueToTree(db.spec().template())),
                strip(Json.MAPPER.valueToTree(da.spec().template())));
        int replaced = template ? Math.min(rb, ra) : 0;
        return new PodImpact(Math.max(0, ra - rb), replaced, Math.max(0, rb - ra));
    }

    static String id(KubeObject o) {
        return o.kind() + " " + o.key();
    }

    private static Map<String, KubeObject> index(List<KubeObject> objects) {
        Map<String, KubeObject> m = new LinkedHashMap<>();
        for (KubeObject o : objects) {
            m.put(id(o), o);
        }
        return m;
    }

    private static int kindRank(String kind) {
        int i = KIND_ORDER.indexOf(kind);
        return i < 0 ? KIND_ORDER.size() : i;
    }

    private static ObjectChange change(ObjectChange.Action action, KubeObject o, List<FieldChange> fields,
                                       PodImpact pods) {
        ObjectMeta m = o.metadata();
        return new ObjectChange(action, o.kind(), m.namespace(), m.name(), m.annotation(ObjectMeta.SOURCE), fields,
                pods);
    }

    /** The object as JSON without status, server-set metadata and Capstan's bookkeeping annotations. */
    private static JsonNode comparable(KubeObject o) {
        ObjectNode n = Json.MAPPER.valueToTree(o);
        n.remove("status");
        n.remove("apiVersion");
        n.remove("kind");
        return strip(n);
    }

    /** Removes bookkeeping from every {@code metadata} in the tree (object and pod template). */
    private static JsonNode strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            JsonNode meta = o.get("metadata");
            if (meta instanceof ObjectNode m) {
                for (String f : List.of("uid", "resourceVersion", "generation", "creationTimestamp",
                        "deletionTimestamp", "ownerReferences", "generateName", "name", "namespace")) {
                    m.remove(f);
                }
                if (m.get("annotations") instanceof ObjectNode ann) {
                    ann.remove(ObjectMeta.SOURCE);
                    ann.remove(ObjectMeta.COMMIT);
                    if (ann.isEmpty()) {
                        m.remove("annotations");
                    }
                }
                if (m.isEmpty()) {
                    o.remove("metadata");
                }
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
                strip(it.next());
            }
        } else if (n instanceof ArrayNode a) {
            a.forEach(ObjectDiff::strip);
        }
        return n;
    }

    private static void walk(String path, JsonNode b, JsonNode a, List<FieldChange> out) {
        if (Objects.equals(b, a)) {
            return;
        }
        if (b != null && a != null && b.isObject() && a.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            b.fieldNames().forEachRemaining(names::add);
            a.fieldNames().forEachRemaining(names::add);
            for (String f : names) {
                walk(path.isEmpty() ? f : path + "." + f, b.get(f), a.get(f), out);
            }
            return;
        }
        if (b != null && a != null && named(b) && named(a)) {
            Map<String, JsonNode> bm = byName(b);
            Map<String, JsonNode> am = byName(a);
            Set<String> names = new LinkedHashSet<>(bm.keySet());
            names.addAll(am.keySet());
            for (String name : names) {
                JsonNode be = bm.get(name);
                JsonNode ae = am.get(name);
                String p = path + "[" + name + "]";
                if (be != null && ae != null) {
                    walk(p, withoutName(be), withoutName(ae), out);
                } else if (!Objects.equals(be, ae)) {
                    out.add(new FieldChange(p, simplify(be), simplify(ae)));
                }
            }
            return;
        }
        out.add(new FieldChange(path, b, a));
    }

    /** An env entry {@code {name, value}} shows as its value; other named elements without their name. */
    private static JsonNode simplify(JsonNode e) {
        if (e == null) {
            return null;
        }
        JsonNode rest = withoutName(e);
        return rest.size() == 1 && rest.has("value") ? rest.get("value") : rest;
    }

    private static boolean named(JsonNode n) {
        if (!n.isArray() || n.isEmpty()) {
            return n.isArray();
        }
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode e : n) {
            if (!e.isObject() || !e.path("name").isTextual() || !seen.add(e.get("name").asText())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, JsonNode> byName(JsonNode arr) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        arr.forEach(e -> m.put(e.get("name").asText(), e));
        return m;
    }

    private static JsonNode withoutName(JsonNode e) {
        ObjectNode copy = ((ObjectNode) e).deepCopy();
        copy.remove("name");
        return copy;
    }

    private static int containers(JsonNode n) {
        return n.path("spec").path("template").path("spec").path("containers").size();
    }

    /**
     * Shortens model paths to what a user wrote: {@code spec.replicas} → {@code replicas},
     * {@code spec.template.spec.containers[main].image} → {@code image} (one container) or
     * {@code containers[main].image}, {@code metadata.labels.tier} → {@code labels.tier},
     * {@code spec.template.metadata.labels.x} → {@code pod.labels.x}, {@code spec.env[X].value} → {@code env[X]}.
     */
    static String readable(String path, boolean oneContainer) {
        String p = path;
        if (p.startsWith("spec.template.spec.containers[")) {
            p = p.substring("spec.template.spec.".length());
            if (oneContainer) {
                int close = p.indexOf(']');
                p = p.length() > close + 1 ? p.substring(close + 2) : "container";
            }
        } else if (p.startsWith("spec.template.spec.")) {
            p = p.substring("spec.template.spec.".length());
        } else if (p.startsWith("spec.template.metadata.")) {
            p = "pod." + p.substring("spec.template.metadata.".length());
        } else if (p.startsWith("spec.")) {
            p = p.substring("spec.".length());
        } else if (p.startsWith("metadata.")) {
            p = p.substring("metadata.".length());
        }
        if (p.endsWith("].value") && p.contains("env[")) {
            p = p.substring(0, p.length() - ".value".length());
        }
        return p;
    }
}
