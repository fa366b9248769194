package dev.capstan.dsl.export;

import dev.capstan.dsl.export.SafeYaml.Mapping;
import dev.capstan.dsl.export.SafeYaml.Node;
import dev.capstan.dsl.export.SafeYaml.Scalar;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** One object of {@link ManifestImport} to {@code .cap} text; every field it does not use is noted (W041). */
final class Translator {
    private static final Pattern BARE = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_-]*");
    private static final Set<String> RESERVED = Set.of("namespace", "service", "template", "in", "const", "import");
    private static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final String SOURCE = "capstan.dev/source";
    /** Fields a cluster sets; left out without a note. */
    private static final Set<String> SERVER_SET = Set.of("status", "uid", "resourceVersion", "generation",
            "creationTimestamp", "managedFields", "selfLink", "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy",
            "internalTrafficPolicy", "sessionAffinity", "finalizers", "revisionHistoryLimit", "progressDeadlineSeconds",
            "terminationMessagePath", "terminationMessagePolicy", "dnsPolicy", "schedulerName",
            "deployment.kubernetes.io/revision");

    private final ManifestImport owner;
    private final String path;

    Translator(ManifestImport owner, String path) {
        this.owner = owner;
        this.path = path;
    }

    /** A mapping whose keys are taken one by one; {@link #rest} notes the keys nobody took. */
    private final class Fields {
        final Mapping node;
        final String where;
        final Set<String> taken = new HashSet<>();

        Fields(Node n, String where) {
            this.node = n instanceof Mapping m ? m : new Mapping(Map.of(), Map.of(), n == null ? 1 : n.line(),
                    n == null ? 1 : n.column());
            this.where = where;
        }

        Node get(String key) {
            taken.add(key);
            return node.entries().get(key);
        }

        String text(String key) {
            return ManifestImport.text(get(key));
        }

        Fields map(String key) {
            Node n = get(key);
            return new Fields(n == null ? new Mapping(Map.of(), Map.of(), node.line(), node.column()) : n,
                    where + "." + key);
        }

        boolean has(String key) {
            return node.entries().containsKey(key);
        }

        void rest() {
            for (Map.Entry<String, Node> e : node.entries().entrySet()) {
                boolean emptyDefault = e.getKey().equals("securityContext") && e.getValue() instanceof Mapping m
                        && m.entries().isEmpty();
                if (!taken.contains(e.getKey()) && !SERVER_SET.contains(e.getKey()) && !emptyDefault) {
                    owner.note(path, node.keys().get(e.getKey()), "cannot express " + where + "." + e.getKey()
                            + "; left out", null);
                }
            }
        }
    }

    String namespace(ManifestImport.Doc d) {
        Fields top = new Fields(d.node(), "Namespace");
        top.get("apiVersion");
        top.get("kind");
        Fields meta = top.map("metadata");
        meta.get("name");
        Map<String, String> labels = strings(meta.map("labels"), Set.of(MANAGED_BY));
        Fields annotations = meta.map("annotations");
        annotations.get(SOURCE);
        annotations.rest();
        meta.rest();
        top.rest();
        StringBuilder out = new StringBuilder("namespace ").append(name(d.name())).append(" {\n");
        if (!labels.isEmpty()) {
            out.append("  labels ").append(map(labels)).append('\n');
        }
        return out.append("}\n\n").toString();
    }

    String service(ManifestImport.Doc d, ManifestImport.Doc svc) {
        StringBuilder out = new StringBuilder();
        Fields top = new Fields(d.node(), "Deployment");
        top.get("apiVersion");
        top.get("kind");
        Fields meta = top.map("metadata");
        meta.get("name");
        meta.get("namespace");
        Map<String, String> labels = strings(meta.map("labels"), Set.of(MANAGED_BY, "app"));
        Map<String, String> annotations = strings(meta.map("annotations"), Set.of(SOURCE));
        meta.rest();
        Fields spec = top.map("spec");
        String replicas = spec.text("replicas");
        Fields selector = spec.map("selector");
        Map<String, String> match = strings(selector.map("matchLabels"), Set.of());
        selector.rest();
        if (!match.equals(Map.of("app", d.name()))) {
            owner.note(path, selector.node, "the selector " + match + " is not app: " + d.name()
                    + "; capstan selects a service's pods by app = NAME", null);
        }
        String update = strategy(spec.map("strategy"));
        Fields template = spec.map("template");
        Fields podMeta = template.map("metadata");
        Map<String, String> podLabels = strings(podMeta.map("labels"), Set.of("app"));
        if (!podLabels.equals(labels)) {
            owner.note(path, podMeta.node, "the pod labels differ from the Deployment's; capstan gives both the "
                    + "service's labels, here the Deployment's", null);
        }
        Map<String, String> podAnnotations = strings(podMeta.map("annotations"), Set.of(SOURCE));
        if (!podAnnotations.equals(annotations)) {
            owner.note(path, podMeta.node, "the pod annotations differ from the Deployment's; capstan gives both "
                    + "the service's annotations, here the Deployment's", null);
        }
        podMeta.rest();
        Fields pod = template.map("spec");
        template.rest();
        spec.rest();
        top.rest();

        out.append("service ").append(name(d.name())).append(" in ").append(name(d.namespace())).append(" {\n");
        List<Node> containers = ManifestImport.items(pod.get("containers"));
        Map<String, String> portNames = new LinkedHashMap<>();
        if (containers.isEmpty()) {
            owner.note(path, pod.node, "a pod without containers", null);
        } else {
            container(out, containers.get(0), portNames, svc);
            for (Node extra : containers.subList(1, containers.size())) {
                owner.note(path, extra, "a second container; a capstan service runs one", "make it a service of "
                        + "its own");
            }
        }
        if (replicas != null) {
            out.append("  replicas ").append(replicas).append('\n');
        }
        if (!labels.isEmpty()) {
            out.append("  labels ").append(map(labels)).append('\n');
        }
        if (!annotations.isEmpty()) {
            out.append("  annotations ").append(map(annotations)).append('\n');
        }
        if (update != null) {
            out.append("  update ").append(update).append('\n');
        }
        podSettings(out, pod, d.name());
        return out.append("}\n\n").toString();
    }

    private void container(StringBuilder out, Node node, Map<String, String> portNames, ManifestImport.Doc svc) {
        Fields c = new Fields(node, "container");
        c.get("name");
        String image = c.text("image");
        if (image != null) {
            out.append("  image ").append(quote(image)).append('\n');
        }
        list(out, "command", c.get("command"));
        list(out, "args", c.get("args"));
        Map<String, String> env = new LinkedHashMap<>();
        for (Node e : ManifestImport.items(c.get("env"))) {
            Fields f = new Fields(e, "env");
            String n = f.text("name");
            if (f.has("value") || !f.has("valueFrom")) {
                env.put(n, Objects.requireNonNullElse(f.text("value"), ""));
            }
            f.rest();
        }
        if (!env.isEmpty()) {
            out.append("  env ").append(map(env)).append('\n');
        }
        Map<String, String> nodePorts = new HashMap<>();
        Map<String, Integer> exposed = svc == null ? Map.of() : servicePorts(svc, c.node, ManifestImport.items(
                c.node.entries().get("ports")), nodePorts);
        int i = 0;
        for (Node p : ManifestImport.items(c.get("ports"))) {
            Fields f = new Fields(p, "ports");
            String number = f.text("containerPort");
            String name = f.text("name");
            if (name == null) {
                name = "port-" + (++i);
                owner.note(path, p, "a port without a name; named " + name, null);
            }
            String protocol = f.text("protocol");
            if (protocol != null && !protocol.equals("TCP")) {
                owner.note(path, f.node.keys().get("protocol"), "protocol " + protocol + "; capstan ports are TCP",
                        null);
            }
            f.rest();
            portNames.put(number, name);
            out.append("  port ").append(name(name)).append(' ').append(number);
            Integer expose = exposed.get(name);
            if (expose != null && !String.valueOf(expose).equals(number)) {
                out.append(" expose ").append(expose);
            }
            if (nodePorts.containsKey(name)) {
                out.append(" node-port ").append(nodePorts.get(name));
            }
            out.append('\n');
        }
        Fields res = c.map("resources");
        Map<String, String> limits = strings(res.map("limits"), Set.of());
        Map<String, String> requests = strings(res.map("requests"), Set.of());
        res.rest();
        Map<String, String> amounts = limits.isEmpty() ? requests : limits;
        if (!requests.isEmpty() && !limits.isEmpty() && !requests.equals(limits)) {
            owner.note(path, res.node, "requests differ from limits; capstan sets both to the limits", null);
        }
        if (!amounts.isEmpty()) {
            out.append("  resources {");
            amounts.forEach((k, v) -> out.append(' ').append(name(k)).append(' ').append(v));
            out.append(" }\n");
        }
        probe(out, "liveness", c.get("livenessProbe"), portNames);
        probe(out, "readiness", c.get("readinessProbe"), portNames);
        probe(out, "startup", c.get("startupProbe"), portNames);
        c.rest();
    }

    /** Service port by container port name, from the Service's ports; notes what does not fit. */
    private Map<String, Integer> servicePorts(ManifestImport.Doc svc, Mapping container, List<Node> ports,
                                              Map<String, String> nodePorts) {
        Fields top = new Fields(svc.node(), "Service");
        top.get("apiVersion");
        top.get("kind");
        Fields meta = top.map("metadata");
        meta.get("name");
        meta.get("namespace");
        meta.get("labels");
        meta.get("annotations");
        meta.rest();
        Fields spec = top.map("spec");
        String type = spec.text("type");
        if (type != null && !type.equals("ClusterIP") && !type.equals("NodePort")) {
            owner.note(svc.path(), spec.node.keys().get("type"), "Service type " + type + "; capstan Services are "
                    + "ClusterIP", null);
        }
        Map<String, String> selector = strings(spec.map("selector"), Set.of());
        if (!selector.equals(Map.of("app", svc.name()))) {
            owner.note(svc.path(), spec.node, "the Service selector " + selector + " is not app: " + svc.name(), null);
        }
        Map<String, String> byNumber = new LinkedHashMap<>();
        for (Node p : ports) {
            if (p instanceof Mapping m) {
                byNumber.put(ManifestImport.text(m.entries().get("containerPort")),
                        ManifestImport.text(m.entries().get("name")));
            }
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Node p : ManifestImport.items(spec.get("ports"))) {
            Fields f = new Fields(p, "Service.spec.ports");
            f.get("name");
            f.get("protocol");
            String target = f.text("targetPort");
            String port = f.text("port");
            String nodePort = f.text("nodePort");
            String name = target == null ? byNumber.get(port) : byNumber.getOrDefault(target, target);
            if (name == null || !byNumber.containsValue(name)) {
                owner.note(svc.path(), p, "Service port " + port + " targets no port of the container", null);
            } else {
                try {
                    out.put(name, Integer.parseInt(port));
                    if (nodePort != null && !nodePort.equals("0")) {
                        nodePorts.put(name, nodePort);
                    } else if ("NodePort".equals(type)) {
                        nodePorts.put(name, "auto"); // Kubernetes allocates one for every port of a NodePort Service
                    }
                } catch (NumberFormatException e) {
                    owner.note(svc.path(), p, "Service port '" + port + "' is not a number", null);
                }
            }
            f.rest();
        }
        spec.rest();
        top.rest();
        return out;
    }

    private void probe(StringBuilder out, String kind, Node node, Map<String, String> portNames) {
        if (node == null) {
            return;
        }
        Fields p = new Fields(node, kind + "Probe");
        StringBuilder line = new StringBuilder("  ").append(kind).append(' ');
        if (p.has("httpGet")) {
            Fields h = p.map("httpGet");
            String port = portName(h.text("port"), portNames);
            h.get("scheme");
            if (port == null) {
                owner.note(path, h.node, "the probe's port is not a named container port", null);
                return;
            }
            line.append("http ").append(quote(Objects.requireNonNullElse(h.text("path"), "/"))).append(" port ")
                    .append(port);
            h.rest();
        } else if (p.has("tcpSocket")) {
            Fields t = p.map("tcpSocket");
            String port = portName(t.text("port"), portNames);
            if (port == null) {
                owner.note(path, t.node, "the probe's port is not a named container port", null);
                return;
            }
            line.append("tcp port ").append(port);
            t.rest();
        } else if (p.has("exec")) {
            Fields e = p.map("exec");
            line.append("exec ").append(strings(e.get("command")));
            e.rest();
        } else {
            p.rest();
            return;
        }
        setting(line, "every", p.text("periodSeconds"), "s");
        setting(line, "timeout", p.text("timeoutSeconds"), "s");
        setting(line, "initial-delay", p.text("initialDelaySeconds"), "s");
        setting(line, "success-threshold", p.text("successThreshold"), "");
        setting(line, "failure-threshold", p.text("failureThreshold"), "");
        p.rest();
        out.append(line).append('\n');
    }

    private static String portName(String port, Map<String, String> portNames) {
        if (port == null) {
            return null;
        }
        return portNames.containsValue(port) ? port : portNames.get(port);
    }

    private static void setting(StringBuilder line, String key, String value, String unit) {
        if (value != null) {
            line.append(' ').append(key).append(' ').append(value).append(unit);
        }
    }

    private String strategy(Fields s) {
        String type = s.text("type");
        if (type != null && !type.equals("RollingUpdate")) {
            owner.note(path, s.node.keys().get("type"), "strategy " + type + "; capstan updates by rolling update",
                    null);
        }
        Fields r = s.map("rollingUpdate");
        String surge = r.text("maxSurge");
        String unavailable = r.text("maxUnavailable");
        r.rest();
        s.rest();
        boolean defaults = (surge == null || surge.equals("25%")) && (unavailable == null || unavailable.equals("25%"));
        if (defaults) {
            return null;
        }
        return "{" + (surge == null ? "" : " max-surge " + surge) + (unavailable == null ? ""
                : " max-unavailable " + unavailable) + " }";
    }

    private void podSettings(StringBuilder out, Fields pod, String app) {
        String restart = pod.text("restartPolicy");
        if (restart != null && !restart.equals("Always")) {
            out.append("  restart ").append(restart.equals("OnFailure") ? "on-failure" : "never").append('\n');
        }
        String grace = pod.text("terminationGracePeriodSeconds");
        if (grace != null) {
            out.append("  stop-grace ").append(grace).append("s\n");
        }
        String priority = pod.text("priority");
        if (priority != null) {
            out.append("  priority ").append(priority).append('\n');
        }
        Map<String, String> nodeSelector = strings(pod.map("nodeSelector"), Set.of());
        if (!nodeSelector.isEmpty()) {
            out.append("  node-selector ").append(map(nodeSelector)).append('\n');
        }
        for (Node t : ManifestImport.items(pod.get("tolerations"))) {
            Fields f = new Fields(t, "tolerations");
            String key = f.text("key");
            if (key == null) {
                owner.note(path, t, "a toleration without a key; capstan tolerations name a taint", null);
                continue;
            }
            String operator = f.text("operator");
            String value = f.text("value");
            String effect = f.text("effect");
            String seconds = f.text("tolerationSeconds");
            f.rest();
            out.append("  tolerate ").append(key(key));
            if (value != null && !"Exists".equals(operator)) {
                out.append(" = ").append(quote(value));
            }
            if (effect != null) {
                out.append(" effect ").append(switch (effect) {
                    case "NoSchedule" -> "no-schedule";
                    case "PreferNoSchedule" -> "prefer-no-schedule";
                    case "NoExecute" -> "no-execute";
                    default -> effect;
                });
            }
            if (seconds != null) {
                out.append(" for ").append(seconds).append('s');
            }
            out.append('\n');
        }
        for (Node t : ManifestImport.items(pod.get("topologySpreadConstraints"))) {
            spread(out, new Fields(t, "topologySpreadConstraints"), t, app);
        }
        pod.get("containers");
        pod.rest();
    }

    /** Topology keys with a shorthand in {@code spread by}. */
    private static final Map<String, String> TOPOLOGIES = Map.of("kubernetes.io/hostname", "node",
            "topology.kubernetes.io/zone", "zone", "topology.kubernetes.io/region", "region");

    /** {@code spread [required] by T [max-skew N]}: a constraint over the service's own pods ({@code app=NAME}). */
    private void spread(StringBuilder out, Fields f, Node at, String app) {
        String key = f.text("topologyKey");
        String skew = f.text("maxSkew");
        String when = f.text("whenUnsatisfiable");
        Fields selector = f.map("labelSelector");
        Map<String, String> match = strings(selector.map("matchLabels"), Set.of());
        if (key == null || selector.has("matchExpressions") || !match.equals(Map.of("app", app))) {
            owner.note(path, at, "cannot express a topology spread constraint over other pods than this "
                    + "service's (app=" + app + "); left out", null);
            return;
        }
        selector.rest();
        f.rest();
        out.append("  spread ").append("DoNotSchedule".equals(when) ? "required " : "").append("by ")
                .append(TOPOLOGIES.getOrDefault(key, quote(key)));
        if (skew != null && !skew.equals("1")) {
            out.append(" max-skew ").append(skew);
        }
        out.append('\n');
    }

    private void list(StringBuilder out, String keyword, Node node) {
        if (node != null) {
            out.append("  ").append(keyword).append(' ').append(strings(node)).append('\n');
        }
    }

    private static String strings(Node node) {
        List<String> items = new ArrayList<>();
        for (Node n : ManifestImport.items(node)) {
            items.add(quote(Objects.requireNonNullElse(ManifestImport.text(n), "")));
        }
        return "[" + String.join(", ", items) + "]";
    }

    /** A mapping of strings; keys in {@code skip} are left out (capstan sets them). */
    private Map<String, String> strings(Fields f, Set<String> skip) {
        Map<String, String> out = new LinkedHashMap<>();
        if (f.node.entries().isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Node> e : f.node.entries().entrySet()) {
            f.taken.add(e.getKey());
            if (skip.contains(e.getKey())) {
                continue;
            }
            String v = ManifestImport.text(e.getValue());
            if (v == null && e.getValue() instanceof Scalar) {
                v = "";
            }
            if (v == null) {
                owner.note(path, e.getValue(), "'" + e.getKey() + "' is not a string", null);
                continue;
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static String map(Map<String, String> entries) {
        StringBuilder sb = new StringBuilder("{");
        entries.forEach((k, v) -> sb.append(' ').append(key(k)).append(" = ").append(quote(v)));
        return sb.append(" }").toString();
    }

    private static String key(String k) {
        return BARE.matcher(k).matches() && !RESERVED.contains(k) ? k : quote(k);
    }

    static String name(String n) {
        return BARE.matcher(n).matches() && !RESERVED.contains(n) ? n : quote(n);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }
}
