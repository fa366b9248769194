package dev.capstan.engine.admission;

import dev.capstan.model.Affinity;
import dev.capstan.model.Container;
import dev.capstan.model.Deployment;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Namespace;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.PodSpec;
import dev.capstan.model.Probe;
import dev.capstan.model.Quantity;
import dev.capstan.model.Service;
import dev.capstan.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Model objects as the maps that policies see, in the shapes of {@link Shapes}; every declared field is present. */
final class Views {
    private Views() {
    }

    static Map<String, Object> namespace(String name, ObjectMeta meta) {
        Map<String, Object> v = new HashMap<>();
        v.put("name", name == null ? "" : name);
        v.put("labels", userLabels(meta == null ? null : meta.labels()));
        v.put("annotations", userAnnotations(meta == null ? null : meta.annotations()));
        return v;
    }

    static Map<String, Object> namespace(Namespace n) {
        return namespace(n.metadata().name(), n.metadata());
    }

    /** A service as written, from its Deployment and (when it has ports) its Service. */
    static Map<String, Object> service(Deployment d, Service svc) {
        ObjectMeta meta = d.metadata();
        PodSpec pod = d.spec() == null || d.spec().template() == null ? null : d.spec().template().spec();
        Container c = pod == null || pod.containers() == null || pod.containers().isEmpty() ? null
                : pod.containers().get(0);
        Map<String, Object> v = new HashMap<>();
        v.put("name", nz(meta.name()));
        v.put("namespace", nz(meta.namespace()));
        v.put("image", c == null ? "" : nz(c.image()));
        v.put("command", c == null || c.command() == null ? List.of() : c.command());
        v.put("args", c == null || c.args() == null ? List.of() : c.args());
        Map<String, String> env = new LinkedHashMap<>();
        if (c != null && c.env() != null) {
            c.env().forEach(e -> env.put(e.name(), nz(e.value())));
        }
        v.put("env", env);
        v.put("replicas", (long) (d.spec() == null ? 0 : d.spec().replicas()));
        Map<String, Long> exposed = new HashMap<>();
        if (svc != null && svc.spec() != null && svc.spec().ports() != null) {
            svc.spec().ports().forEach(p -> exposed.put(p.name(), (long) p.port()));
        }
        List<Object> ports = new ArrayList<>();
        if (c != null && c.ports() != null) {
            for (Container.ContainerPort p : c.ports()) {
                long port = p.containerPort() == null ? 0 : p.containerPort();
                ports.add(Map.of("name", nz(p.name()), "port", port,
                        "expose", exposed.getOrDefault(p.name(), port)));
            }
        }
        v.put("ports", ports);
        v.put("resources", resources(c == null ? null : c.resources()));
        v.put("labels", userLabels(meta.labels()));
        v.put("annotations", userAnnotations(meta.annotations()));
        List<Object> probes = new ArrayList<>();
        if (c != null) {
            probe("liveness", c.livenessProbe(), probes);
            probe("readiness", c.readinessProbe(), probes);
            probe("startup", c.startupProbe(), probes);
        }
        v.put("probes", probes);
        v.put("restartPolicy", pod == null || pod.restartPolicy() == null ? "Always" : pod.restartPolicy());
        v.put("priority", pod == null || pod.priority() == null ? 0L : (long) pod.priority());
        List<String> spread = new ArrayList<>();
        if (pod != null && pod.topologySpreadConstraints() != null) {
            for (TopologySpreadConstraint t : pod.topologySpreadConstraints()) {
                spread.add(t.topologyKey());
            }
        }
        v.put("spreadBy", spread);
        v.put("antiAffinityBy", antiAffinity(pod == null ? null : pod.affinity()));
        v.put("nodeSelector", pod == null || pod.nodeSelector() == null ? Map.of() : pod.nodeSelector());
        v.put("source", meta.annotations() == null ? "" : nz(meta.annotations().get(ObjectMeta.SOURCE)));
        return v;
    }

    /** A Kubernetes object as JSON maps (integers as Long), with metadata's typed fields always present. */
    static Map<String, Object> kube(KubeObject o) {
        return kube(RecordMaps.record(o));
    }

    /** Raw Kubernetes JSON (as written to the API), normalised the same way. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> kube(Map<String, Object> json) {
        Map<String, Object> v = new HashMap<>(json);
        Map<String, Object> meta = new HashMap<>(v.get("metadata") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of());
        meta.putIfAbsent("name", "");
        meta.putIfAbsent("namespace", "");
        meta.putIfAbsent("labels", Map.of());
        meta.putIfAbsent("annotations", Map.of());
        v.put("metadata", meta);
        v.putIfAbsent("apiVersion", "");
        v.putIfAbsent("kind", "");
        v.putIfAbsent("spec", Map.of());
        return v;
    }

    private static Map<String, Object> resources(Container.Resources r) {
        Map<String, String> requests = r == null || r.requests() == null ? Map.of() : r.requests();
        Map<String, String> limits = r == null || r.limits() == null ? Map.of() : r.limits();
        String cpu = requests.getOrDefault("cpu", limits.getOrDefault("cpu", ""));
        String memory = requests.getOrDefault("memory", limits.getOrDefault("memory", ""));
        Map<String, Object> v = new HashMap<>();
        v.put("cpu", cpu);
        v.put("memory", memory);
        v.put("cpuMillis", cpu.isEmpty() ? 0L : safe(() -> Quantity.parseCpuMillis(cpu)));
        v.put("memoryBytes", memory.isEmpty() ? 0L : safe(() -> Quantity.parseBytes(memory)));
        v.put("requests", requests);
        v.put("limits", limits);
        return v;
    }

    private static long safe(java.util.function.LongSupplier s) {
        try {
            return s.getAsLong();
        } catch (IllegalArgumentException e) {
            return 0L;
        }
    }

    private static void probe(String kind, Probe p, List<Object> out) {
        if (p == null) {
            return;
        }
        String action = p.httpGet() != null ? "http" : p.tcpSocket() != null ? "tcp" : "exec";
        String path = p.httpGet() == null ? "" : nz(p.httpGet().path());
        String port = p.httpGet() != null ? nz(p.httpGet().port()) : p.tcpSocket() != null ? nz(p.tcpSocket().port()) : "";
        out.add(Map.of("kind", kind, "action", action, "path", path, "port", port,
                "periodSeconds", (long) (p.periodSeconds() == null ? 10 : p.periodSeconds()),
                "timeoutSeconds", (long) (p.timeoutSeconds() == null ? 1 : p.timeoutSeconds())));
    }

    private static List<String> antiAffinity(Affinity a) {
        List<String> out = new ArrayList<>();
        if (a == null || a.podAntiAffinity() == null) {
            return out;
        }
        Affinity.PodAffinity anti = a.podAntiAffinity();
        if (anti.requiredDuringSchedulingIgnoredDuringExecution() != null) {
            anti.requiredDuringSchedulingIgnoredDuringExecution().forEach(t -> out.add(t.topologyKey()));
        }
        if (anti.preferredDuringSchedulingIgnoredDuringExecution() != null) {
            anti.preferredDuringSchedulingIgnoredDuringExecution().forEach(t -> out.add(t.podAffinityTerm().topologyKey()));
        }
        return out;
    }

    /** Labels minus the two that Capstan sets itself (app, managed-by). */
    static Map<String, String> userLabels(Map<String, String> labels) {
        if (labels == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>(labels);
        out.remove("app");
        out.remove(ObjectMeta.MANAGED_BY);
        return out;
    }

    private static Map<String, String> userAnnotations(Map<String, String> annotations) {
        if (annotations == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        annotations.forEach((k, val) -> {
            if (!k.startsWith("capstan.dev/")) {
                out.put(k, val);
            }
        });
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
