package dev.capstan.gitsync.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.capstan.engine.scheduler.Placement;
import dev.capstan.model.Node;
import dev.capstan.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cluster described in a file, for planning without a running cluster ({@code capstan plan --nodes FILE}).
 * YAML or JSON (by extension: {@code .json} is JSON, anything else YAML):
 *
 * <pre>
 * nodes:
 *   - name: node-1            # required, unique
 *     cpu: "4"                # required: cores or millicores ("3500m")
 *     memory: 8Gi             # required: bytes with a unit (Ki, Mi, Gi, K, M, G)
 *     pods: 110               # optional, default 110
 *     labels:                 # optional
 *       topology.kubernetes.io/zone: zone-a
 *     taints:                 # optional; effect NoSchedule, PreferNoSchedule or NoExecute
 *       - { key: dedicated, value: gpu, effect: NoSchedule }
 * </pre>
 *
 * Every node is Ready and schedulable. Unknown fields are refused (a typo would otherwise pass unnoticed);
 * errors name the file, line and column.
 */
public final class NodesFile {
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> TOP_FIELDS = new java.util.LinkedHashSet<>(List.of("nodes"));
    private static final Set<String> NODE_FIELDS = new java.util.LinkedHashSet<>(
            List.of("name", "cpu", "memory", "pods", "labels", "taints"));
    private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    /** The file's shape. */
    record FileSpec(List<NodeSpec> nodes) {
    }

    record NodeSpec(String name, String cpu, String memory, Integer pods, Map<String, String> labels,
                    List<Node.Taint> taints) {
    }

    private NodesFile() {
    }

    /**
     * Refuses unknown fields of the top level and of each node at the key's own line and column (the
     * data binder reports them where it stopped reading, which can be lines later).
     */
    private static void checkFields(ObjectMapper m, Path file) throws IOException, PlanException {
        try (JsonParser p = m.createParser(file.toFile())) {
            int depth = 0;
            java.util.ArrayDeque<String> keys = new java.util.ArrayDeque<>();
            for (var t = p.nextToken(); t != null; t = p.nextToken()) {
                if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y && y.isCurrentAlias()) {
                    JsonLocation at = p.currentTokenLocation();
                    throw new PlanException(file + ":" + at.getLineNr() + ":" + at.getColumnNr()
                            + ": YAML aliases (*name) are not supported: write the value out");
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        keys.push(p.getParsingContext().getParent() != null
                                && p.getParsingContext().getParent().inObject()
                                ? String.valueOf(p.getParsingContext().getParent().getCurrentName()) : "");
                    }
                    case END_OBJECT, END_ARRAY -> {
                        depth--;
                        keys.pop();
                    }
                    case FIELD_NAME -> {
                        String f = p.currentName();
                        Set<String> allowed = depth == 1 ? TOP_FIELDS : depth == 3 && "nodes".equals(
                                keys.stream().skip(1).findFirst().orElse("")) ? NODE_FIELDS : null;
                        if (allowed != null && !allowed.contains(f)) {
                            JsonLocation at = p.currentTokenLocation();
                            throw new PlanException(file + ":" + at.getLineNr() + ":" + at.getColumnNr()
                                    + ": unknown field '" + f + "' (expected one of " + String.join(", ", allowed) + ")");
                        }
                    }
                    default -> { }
                }
            }
        }
    }

    /** Reads the file into a snapshot with no pods (the base revision is assumed to run there). */
    public static ClusterSnapshot read(Path file) throws PlanException {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new PlanException(name + ": no such file");
        }
        FileSpec spec;
        try {
            ObjectMapper m = name.endsWith(".json") ? JSON : YAML;
            checkFields(m, file);
            spec = m.readValue(file.toFile(), FileSpec.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getProcessor() instanceof JsonParser p ? p.currentTokenLocation() : e.getLocation();
            String where = at == null ? name : name + ":" + at.getLineNr() + ":" + at.getColumnNr();
            String why = e instanceof UnrecognizedPropertyException u
                    ? "unknown field '" + u.getPropertyName() + "' (expected one of " + u.getKnownPropertyIds() + ")"
                    : e.getOriginalMessage().lines().findFirst().orElse("invalid");
            throw new PlanException(where + ": " + why, e);
        } catch (IOException e) {
            throw new PlanException(name + ": " + e.getMessage(), e);
        }
        if (spec == null || spec.nodes() == null || spec.nodes().isEmpty()) {
            throw new PlanException(name + ": no nodes (expected 'nodes:' with a list of {name, cpu, memory})");
        }
        List<Node> nodes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (NodeSpec n : spec.nodes()) {
            String at = name + ": nodes[" + i++ + "]";
            if (n == null || n.name() == null || n.name().isBlank()) {
                throw new PlanException(at + ": 'name' is required");
            }
            at = name + ": node " + n.name();
            if (!seen.add(n.name())) {
                throw new PlanException(at + ": declared twice");
            }
            if (n.cpu() == null || n.memory() == null) {
                throw new PlanException(at + ": 'cpu' and 'memory' are required (e.g. cpu: \"4\", memory: 8Gi)");
            }
            try {
                Quantity.parseCpuMillis(n.cpu());
                Quantity.parseBytes(n.memory());
            } catch (RuntimeException e) {
                throw new PlanException(at + ": bad quantity: " + e.getMessage(), e);
            }
            List<Node.Taint> taints = n.taints() == null ? List.of() : n.taints();
            for (Node.Taint t : taints) {
                if (t == null || t.key() == null || !EFFECTS.contains(t.effect())) {
                    throw new PlanException(at + ": a taint needs a key and an effect (NoSchedule, PreferNoSchedule "
                            + "or NoExecute)");
                }
            }
            Map<String, String> alloc = new LinkedHashMap<>();
            alloc.put("cpu", n.cpu());
            alloc.put("memory", n.memory());
            alloc.put("pods", String.valueOf(n.pods() == null ? 110 : n.pods()));
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("kubernetes.io/hostname", n.name());
            if (n.labels() != null) {
                labels.putAll(n.labels());
            }
            nodes.add(Placement.simulatedNode(n.name(), alloc, labels, taints));
        }
        return new ClusterSnapshot(file.getFileName().toString(), nodes, null);
    }
}
