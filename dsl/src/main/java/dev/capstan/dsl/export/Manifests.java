package dev.capstan.dsl.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.capstan.model.Json;
import dev.capstan.model.KubeObject;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiled objects as Kubernetes manifests (apps/v1 Deployment, v1 Service, v1 Namespace). Leaves out
 * {@code status} and server-set metadata, writes IntOrString fields holding a number as numbers, and
 * drops what Kubernetes does not take as written (a pod {@code priority} without a PriorityClass), saying
 * so in {@link Export#notes()}.
 */
public final class Manifests {
    /** Metadata fields the API server sets; never exported. */
    private static final List<String> SERVER_SET = List.of("uid", "resourceVersion", "generation",
            "creationTimestamp", "deletionTimestamp", "ownerReferences", "generateName");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    private Manifests() {
    }

    /** The manifests, one per object in order, and notes on what could not be exported as written. */
    public record Export(List<ObjectNode> manifests, List<String> notes) {
        public Export {
            manifests = List.copyOf(manifests);
            notes = List.copyOf(notes);
        }

        /** Multi-document YAML, each document starting with {@code ---}. */
        public String yaml() {
            StringBuilder out = new StringBuilder();
            for (ObjectNode m : manifests) {
                try {
                    out.append("---\n").append(YAML.writeValueAsString(m));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return out.toString();
        }

        /** One {@code v1 List} holding every manifest, pretty-printed. */
        public String json() {
            ObjectNode list = JsonNodeFactory.instance.objectNode();
            list.put("apiVersion", "v1");
            list.put("kind", "List");
            ArrayNode items = list.putArray("items");
            manifests.forEach(items::add);
            return Json.pretty(list) + "\n";
        }
    }

    public static Export of(List<KubeObject> objects) {
        List<ObjectNode> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (KubeObject o : objects) {
            ObjectNode node = Json.MAPPER.valueToTree(o);
            node.remove("status");
            if (node.get("metadata") instanceof ObjectNode meta) {
                SERVER_SET.forEach(meta::remove);
            }
            JsonNode strategy = node.at("/spec/strategy/rollingUpdate");
            if (strategy instanceof ObjectNode rolling) {
                number(rolling, "maxSurge");
                number(rolling, "maxUnavailable");
            }
            if (node.at("/spec/template/spec") instanceof ObjectNode pod) {
                pod(pod, o, notes);
            }
            if (node.at("/spec/ports") instanceof ArrayNode ports) {
                ports.forEach(p -> number((ObjectNode) p, "targetPort"));
            }
            out.add(node);
        }
        return new Export(out, notes);
    }

    private static void pod(ObjectNode pod, KubeObject o, List<String> notes) {
        if (pod.has("priority")) {
            notes.add(o.key() + ": priority " + pod.get("priority").asText() + " left out; Kubernetes takes a pod's "
                    + "priority from a PriorityClass: create one and set priorityClassName");
            pod.remove("priority");
        }
        if (pod.get("containers") instanceof ArrayNode containers) {
            for (JsonNode c : containers) {
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    for (String action : List.of("httpGet", "tcpSocket")) {
                        if (c.at("/" + probe + "/" + action) instanceof ObjectNode a) {
                            number(a, "port");
                        }
                    }
                }
            }
        }
    }

    /** An IntOrString field holding digits becomes a number, as Kubernetes reads "1" as a percentage error. */
    private static void number(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        if (v != null && v.isTextual() && v.asText().matches("[0-9]{1,9}")) {
            node.put(field, Integer.parseInt(v.asText()));
        }
    }
}
