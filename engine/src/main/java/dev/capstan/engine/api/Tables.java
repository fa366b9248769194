package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Server-side tables ({@code meta.k8s.io/v1 Table}), what kubectl asks for with
 * {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}: column definitions from
 * {@link PrintColumns} and one row per object, each carrying the object as {@code includeObject} says.
 */
final class Tables {

    /** What each row carries besides its cells: Kubernetes' {@code includeObject} parameter. */
    enum Include { NONE, METADATA, OBJECT }

    private Tables() {
    }

    /**
     * The Table apiVersion the Accept header asks for ({@code meta.k8s.io/v1} or {@code meta.k8s.io/v1beta1}),
     * or null when the first media type this server can produce is plain JSON.
     */
    static String requested(String accept) {
        if (accept == null || accept.isBlank()) {
            return null;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            Map<String, String> params = new HashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length == 2) {
                    params.put(kv[0].trim(), kv[1].trim());
                }
            }
            if (!type.equals("application/json") && !type.equals("*/*") && !type.equals("application/*")) {
                continue;
            }
            String as = params.get("as");
            if (as == null) {
                return null;
            }
            String v = params.get("v");
            if (as.equals("Table") && "meta.k8s.io".equals(params.get("g"))
                    && ("v1".equals(v) || "v1beta1".equals(v))) {
                return "meta.k8s.io/" + v;
            }
        }
        return null;
    }

    static Include include(String param) {
        if (param == null || param.isEmpty() || param.equals("Metadata")) {
            return Include.METADATA;
        }
        if (param.equals("None")) {
            return Include.NONE;
        }
        if (param.equals("Object")) {
            return Include.OBJECT;
        }
        throw ApiErrors.badRequest("includeObject must be None, Metadata or Object, not \"" + param + "\"");
    }

    static ObjectNode table(String apiVersion, Kind<?> kind, List<? extends KubeObject> objects,
                            String resourceVersion, Include include, Instant now) {
        List<Column> columns = PrintColumns.of(kind);
        ObjectNode t = Json.MAPPER.createObjectNode();
        t.put("kind", "Table");
        t.put("apiVersion", apiVersion);
        ObjectNode meta = t.putObject("metadata");
        if (resourceVersion != null) {
            meta.put("resourceVersion", resourceVersion);
        }
        ArrayNode defs = t.putArray("columnDefinitions");
        for (Column c : columns) {
            ObjectNode d = defs.addObject();
            d.put("name", c.name());
            d.put("type", c.type());
            d.put("format", c.format());
            d.put("description", c.description());
            d.put("priority", c.priority());
        }
        ArrayNode rows = t.putArray("rows");
        for (KubeObject o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column c : columns) {
                Object v = c.cell().apply(o, now);
                cells.add(v == null ? Json.MAPPER.getNodeFactory().textNode("") : Json.MAPPER.valueToTree(v));
            }
            if (include != Include.NONE) {
                row.set("object", rowObject(o, include));
            }
        }
        return t;
    }

    private static JsonNode rowObject(KubeObject o, Include include) {
        ObjectNode full = Json.MAPPER.valueToTree(o);
        if (include == Include.OBJECT) {
            return full;
        }
        ObjectNode partial = Json.MAPPER.createObjectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", full.get("metadata"));
        return partial;
    }
}
