package dev.capstan.engine.admission;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL types of what a policy sees (docs/policies.md, "What a policy sees"): {@code service} as written,
 * {@code namespace}, and {@code deployment} / {@code pod} in Kubernetes' JSON shape (metadata typed, the rest
 * {@code dyn}). Every field is always present in the values ({@link Views}), so a condition never fails on a
 * missing key.
 */
final class Shapes {
    static final CelType STRINGS = ListType.create(SimpleType.STRING);
    static final CelType STRING_MAP = MapType.create(SimpleType.STRING, SimpleType.STRING);

    static final StructType PORT = struct("capstan.Port", Map.of(
            "name", SimpleType.STRING, "port", SimpleType.INT, "expose", SimpleType.INT));
    static final StructType RESOURCES = struct("capstan.Resources", Map.of(
            "cpu", SimpleType.STRING, "memory", SimpleType.STRING, "cpuMillis", SimpleType.INT,
            "memoryBytes", SimpleType.INT, "requests", STRING_MAP, "limits", STRING_MAP));
    static final StructType PROBE = struct("capstan.Probe", Map.of(
            "kind", SimpleType.STRING, "action", SimpleType.STRING, "path", SimpleType.STRING,
            "port", SimpleType.STRING, "periodSeconds", SimpleType.INT, "timeoutSeconds", SimpleType.INT));
    static final StructType SERVICE = struct("capstan.Service", ordered(
            "name", SimpleType.STRING, "namespace", SimpleType.STRING, "image", SimpleType.STRING,
            "command", STRINGS, "args", STRINGS, "env", STRING_MAP, "replicas", SimpleType.INT,
            "ports", ListType.create(PORT), "resources", RESOURCES, "labels", STRING_MAP, "annotations", STRING_MAP,
            "probes", ListType.create(PROBE), "restartPolicy", SimpleType.STRING, "priority", SimpleType.INT,
            "spreadBy", STRINGS, "antiAffinityBy", STRINGS, "nodeSelector", STRING_MAP, "source", SimpleType.STRING));
    static final StructType NAMESPACE = struct("capstan.Namespace", Map.of(
            "name", SimpleType.STRING, "labels", STRING_MAP, "annotations", STRING_MAP));
    static final StructType METADATA = struct("capstan.ObjectMeta", Map.of(
            "name", SimpleType.STRING, "namespace", SimpleType.STRING, "labels", STRING_MAP,
            "annotations", STRING_MAP));
    static final StructType DEPLOYMENT = struct("capstan.Deployment", Map.of(
            "apiVersion", SimpleType.STRING, "kind", SimpleType.STRING, "metadata", METADATA, "spec", SimpleType.DYN));
    static final StructType POD = struct("capstan.Pod", Map.of(
            "apiVersion", SimpleType.STRING, "kind", SimpleType.STRING, "metadata", METADATA, "spec", SimpleType.DYN));

    /** The type of each kind's variable. */
    static final Map<String, StructType> KINDS = Map.of("service", SERVICE, "namespace", NAMESPACE,
            "deployment", DEPLOYMENT, "pod", POD);

    private Shapes() {
    }

    /** A provider of the shapes above plus one policy's {@code params} struct. */
    static CelTypeProvider provider(StructType params) {
        Map<String, CelType> types = new LinkedHashMap<>();
        for (StructType t : List.of(PORT, RESOURCES, PROBE, SERVICE, NAMESPACE, METADATA, DEPLOYMENT, POD, params)) {
            types.put(t.name(), t);
        }
        ImmutableMap<String, CelType> all = ImmutableMap.copyOf(types);
        return new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
                return all.values();
            }

            @Override
            public Optional<CelType> findType(String name) {
                return Optional.ofNullable(all.get(name));
            }
        };
    }

    /** The struct of a policy's parameters: each default's type (int, double, bool, string, list(string)). */
    static StructType params(String policy, Map<String, Object> defaults) {
        Map<String, CelType> fields = new LinkedHashMap<>();
        defaults.forEach((k, v) -> fields.put(k, v instanceof Long ? SimpleType.INT : v instanceof Double
                ? SimpleType.DOUBLE : v instanceof Boolean ? SimpleType.BOOL : v instanceof List ? STRINGS
                : SimpleType.STRING));
        return struct("capstan.params." + policy.replace('-', '_'), fields);
    }

    private static Map<String, CelType> ordered(Object... kv) {
        Map<String, CelType> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], (CelType) kv[i + 1]);
        }
        return out;
    }

    private static StructType struct(String name, Map<String, CelType> fields) {
        ImmutableMap<String, CelType> f = ImmutableMap.copyOf(fields);
        return StructType.create(name, ImmutableSet.copyOf(f.keySet()), field -> Optional.ofNullable(f.get(field)));
    }

    /** Field names of a struct in declaration order (for docs and tests). */
    static ImmutableList<String> fields(StructType t) {
        return t.fieldNames().asList();
    }
}
