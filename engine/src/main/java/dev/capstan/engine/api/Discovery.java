package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes' legacy discovery documents, built from {@link Kinds#ALL}: {@code /version}, {@code /api},
 * {@code /api/v1}, {@code /apis}, {@code /apis/GROUP} and {@code /apis/GROUP/VERSION}. Always served as
 * plain {@code application/json}, which makes kubectl fall back from aggregated discovery.
 */
final class Discovery {

    static final String MAJOR = "1";
    static final String MINOR = "32";
    static final String GIT_VERSION = "v1.32.0-capstan";

    private static final List<String> VERBS = List.of("create", "delete", "get", "list", "update", "watch");
    private static final Set<Kind<?>> IN_CATEGORY_ALL =
            Set.of(Kinds.POD, Kinds.SERVICE, Kinds.DEPLOYMENT, Kinds.REPLICA_SET, Kinds.JOB, Kinds.DAEMON_SET);

    private Discovery() {
    }

    static ObjectNode version() {
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("major", MAJOR);
        v.put("minor", MINOR);
        v.put("gitVersion", GIT_VERSION);
        v.put("gitCommit", "unknown");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "1970-01-01T00:00:00Z");
        v.put("goVersion", "java" + Runtime.version().feature());
        v.put("compiler", "javac");
        v.put("platform", System.getProperty("os.name", "linux").toLowerCase(java.util.Locale.ROOT) + "/"
                + System.getProperty("os.arch", "amd64"));
        return v;
    }

    /** {@code /api}: the core group's versions. */
    static ObjectNode coreVersions(String serverAddress) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", "APIVersions");
        n.putArray("versions").add("v1");
        ObjectNode cidr = n.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return n;
    }

    /** {@code /apis}: every named group. */
    static ObjectNode groupList() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", "APIGroupList");
        n.put("apiVersion", "v1");
        ArrayNode groups = n.putArray("groups");
        for (String g : groups()) {
            groups.add(groupBody(g));
        }
        return n;
    }

    /** {@code /apis/GROUP}. */
    static Optional<ObjectNode> group(String group) {
        if (!groups().contains(group)) {
            return Optional.empty();
        }
        ObjectNode n = groupBody(group);
        n.put("kind", "APIGroup");
        n.put("apiVersion", "v1");
        return Optional.of(n);
    }

    /** {@code /api/v1} or {@code /apis/GROUP/VERSION}: the resources served there. */
    static Optional<ObjectNode> resourceList(String group, String version) {
        List<Kind<?>> kinds = Kinds.ALL.stream()
                .filter(k -> k.group().equals(group) && k.version().equals(version)).toList();
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", "APIResourceList");
        n.put("apiVersion", "v1");
        n.put("groupVersion", kinds.get(0).apiVersion());
        ArrayNode resources = n.putArray("resources");
        for (Kind<?> k : kinds) {
            ObjectNode r = resource(resources, k.plural(), k, k.singular(), VERBS);
            ArrayNode shortNames = r.putArray("shortNames");
            k.shortNames().forEach(shortNames::add);
            if (IN_CATEGORY_ALL.contains(k)) {
                r.putArray("categories").add("all");
            }
            if (k == Kinds.POD || k == Kinds.NODE) {
                resource(resources, k.plural() + "/status", k, "", List.of("get", "update"));
            }
            if (k == Kinds.POD) {
                resource(resources, "pods/log", k, "", List.of("get"));
            }
        }
        return Optional.of(n);
    }

    private static ObjectNode resource(ArrayNode into, String name, Kind<?> k, String singular, List<String> verbs) {
        ObjectNode r = into.addObject();
        r.put("name", name);
        r.put("singularName", singular);
        r.put("namespaced", k.namespaced());
        r.put("kind", k.kind());
        ArrayNode v = r.putArray("verbs");
        verbs.forEach(v::add);
        return r;
    }

    private static ObjectNode groupBody(String group) {
        ObjectNode g = Json.MAPPER.createObjectNode();
        g.put("name", group);
        ArrayNode versions = g.putArray("versions");
        String preferred = null;
        for (Kind<?> k : Kinds.ALL) {
            if (k.group().equals(group) && versions.findValuesAsText("version").stream()
                    .noneMatch(k.version()::equals)) {
                ObjectNode v = versions.addObject();
                v.put("groupVersion", k.apiVersion());
                v.put("version", k.version());
                preferred = preferred == null ? k.version() : preferred;
            }
        }
        ObjectNode p = g.putObject("preferredVersion");
        p.put("groupVersion", group + "/" + preferred);
        p.put("version", preferred);
        return g;
    }

    static Set<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        for (Kind<?> k : Kinds.ALL) {
            if (!k.group().isEmpty()) {
                groups.add(k.group());
            }
        }
        return groups;
    }
}
