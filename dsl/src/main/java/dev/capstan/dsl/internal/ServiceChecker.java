package dev.capstan.dsl.internal;

import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Attribute;
import dev.capstan.dsl.ast.Entry;
import dev.capstan.dsl.ast.NumberLit;
import dev.capstan.dsl.ast.ServiceDecl;
import dev.capstan.dsl.ast.StringLit;
import dev.capstan.model.Container;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks the attributes of one service and resolves them into a {@link Program.ServiceSpec}. */
final class ServiceChecker {
    static final int MAX_REPLICAS = 10_000;
    static final List<String> RESOURCES = List.of("cpu", "memory");

    private final Analyzer analyzer;
    private final Reporter reporter;

    ServiceChecker(Analyzer analyzer) {
        this.analyzer = analyzer;
        this.reporter = analyzer.reporter();
    }

    /** The checked service, or null when it has no name or namespace to lower under. */
    Program.ServiceSpec check(ServiceDecl s) {
        String image = null;
        List<String> command = List.of();
        List<String> args = List.of();
        List<Container.EnvVar> env = List.of();
        int replicas = 1;
        Map<String, String> labels = Map.of();
        Map<String, String> resources = Map.of();
        List<Program.PortSpec> ports = new ArrayList<>();
        Map<String, Attribute.Port> portNames = new HashMap<>();
        Map<Integer, Attribute.Port> containerPorts = new HashMap<>();
        Map<Integer, Attribute.Port> servicePorts = new HashMap<>();
        boolean hasImage = false;
        PodChecker pod = new PodChecker(analyzer, s.name() == null ? "" : s.name().value());
        String workload = Workloads.kind(s);
        pod.forWorkload(workload);
        for (Attribute a : analyzer.once(s.attributes(), workload == null ? "service" : workload)) {
            if (pod.accept(a) || Workloads.accept(reporter, workload, a)) {
                continue;
            }
            if (a instanceof Attribute.Image) {
                hasImage = true;
                StringLit lit = ((Attribute.Image) a).image();
                image = lit.value();
                if (image.isBlank()) {
                    reporter.report(ErrorCode.E007, lit.location(), "image is empty",
                            "write image \"registry/name:tag\"");
                }
            } else if (a instanceof Attribute.Command) {
                command = strings(((Attribute.Command) a).items());
            } else if (a instanceof Attribute.Args) {
                args = strings(((Attribute.Args) a).items());
            } else if (a instanceof Attribute.Env) {
                env = env(((Attribute.Env) a).entries(), s.namespace() == null ? null : s.namespace().value());
            } else if (a instanceof Attribute.Replicas) {
                replicas = (int) whole(((Attribute.Replicas) a).count(), "replicas", 0, MAX_REPLICAS, 1);
            } else if (a instanceof Attribute.Port) {
                Program.PortSpec p = port((Attribute.Port) a, serviceName(s), portNames, containerPorts, servicePorts);
                if (p != null) {
                    ports.add(p);
                }
            } else if (a instanceof Attribute.Labels) {
                labels = analyzer.labels(((Attribute.Labels) a).entries(), Analyzer.RESERVED_LABELS);
            } else if (a instanceof Attribute.Resources) {
                resources = resources(((Attribute.Resources) a).entries());
            }
        }
        if (!hasImage && s.complete() && s.name() != null) {
            reporter.report(ErrorCode.E007, s.name().location(), (workload == null ? "service" : workload) + " '" + s.name().value() + "' has no image",
                    "add a line: image \"registry/name:tag\"");
        }
        Program.PodSettings settings = pod.finish(portNames.keySet());
        if (s.name() == null || s.namespace() == null) {
            return null;
        }
        return new Program.ServiceSpec(s.name().value(), s.namespace().value(), Analyzer.source(s.location()),
                image, command, args, env, replicas, ports, labels, resources, settings);
    }

    private static String serviceName(ServiceDecl s) {
        return (s.namespace() == null ? "?" : s.namespace().value()) + "/" + (s.name() == null ? "?" : s.name().value());
    }

    private List<String> strings(List<StringLit> items) {
        List<String> out = new ArrayList<>();
        for (StringLit item : items) {
            interpolation(item);
            out.add(item.value());
        }
        return out;
    }

    private List<Container.EnvVar> env(List<Entry> entries, String namespace) {
        List<Container.EnvVar> out = new ArrayList<>();
        for (Entry e : analyzer.unique(entries, "environment variable")) {
            if (!Names.envName(e.key())) {
                reporter.report(ErrorCode.E014, e.location(), "invalid environment variable name '" + e.key() + "'",
                        "names use letters, digits, '_', '-' and '.', and do not start with a digit");
            }
            if (e.ref() != null) {
                out.add(new Container.EnvVar(e.key(), e.value().value())); // resolved once all services are known
                analyzer.serviceRefs().use(e, namespace, out);
                continue;
            }
            interpolation(e.value());
            out.add(new Container.EnvVar(e.key(), e.value().value()));
        }
        return out;
    }

    private void interpolation(StringLit s) {
        if (s.value().contains("${")) {
            reporter.report(ErrorCode.W001, s.location(), "'${...}' is not expanded; the container gets it as written",
                    "the node agent expands $(NAME) from the container's environment, e.g. $(PORT)");
        }
    }

    private Program.PortSpec port(Attribute.Port p, String service, Map<String, Attribute.Port> names,
                                  Map<Integer, Attribute.Port> containerPorts, Map<Integer, Attribute.Port> servicePorts) {
        String name = p.name().value();
        boolean ok = true;
        String problem = Names.portName(name);
        if (problem != null) {
            String fix = Names.fix(name, Names.MAX_PORT_NAME);
            reporter.report(ErrorCode.E004, p.name().location(), "invalid port name '" + name + "': " + problem,
                    fix == null ? "port names have at most 15 lowercase letters, digits and '-'" : "try '" + fix + "'");
            ok = false;
        }
        Attribute.Port first = names.putIfAbsent(name, p);
        if (first != null) {
            reporter.report(ErrorCode.E011, p.name().location(), "duplicate port name '" + name
                    + "' (first at line " + first.location().line() + ")", "give each port of a service its own name");
            ok = false;
        }
        long number = whole(p.number(), "a port number", 1, 65535, -1);
        long exposed = p.exposed() == null ? number : whole(p.exposed(), "an exposed port", 1, 65535, -1);
        ok &= number > 0 && exposed > 0;
        boolean containerFree = unused(containerPorts, number, p, p.number(), "container port");
        boolean serviceFree = !containerFree && p.exposed() == null // said once already
                || unused(servicePorts, exposed, p, p.exposed() != null ? p.exposed() : p.number(), "service port");
        ok &= containerFree && serviceFree;
        Integer nodePort = null;
        if (p.nodePort() != null) {
            nodePort = analyzer.nodePorts().claim(p.nodePort(), service, name);
            ok &= nodePort != null;
        }
        boolean auto = p.nodePortWord() != null;
        if (auto && !NodePorts.AUTO.equals(p.nodePortWord().value())) {
            reporter.report(ErrorCode.E064, p.nodePortWord().location(), "node-port takes a number or 'auto', not '"
                    + p.nodePortWord().value() + "'", "write node-port auto to have the cluster allocate one, "
                    + "or a number in " + analyzer.nodePorts().range());
            ok = false;
        }
        return ok ? new Program.PortSpec(name, (int) number, (int) exposed, nodePort, auto) : null;
    }

    private boolean unused(Map<Integer, Attribute.Port> used, long number, Attribute.Port p, NumberLit at,
                           String what) {
        if (number <= 0) {
            return true;
        }
        Attribute.Port first = used.putIfAbsent((int) number, p);
        if (first == null) {
            return true;
        }
        reporter.report(ErrorCode.E011, at.location(), what + " " + number + " is already used by port '"
                + first.name().value() + "' (line " + first.location().line() + ")", "give each port its own number");
        return false;
    }

    private Map<String, String> resources(List<Attribute.Resource> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Attribute.Resource> first = new HashMap<>();
        for (Attribute.Resource r : entries) {
            String name = r.name().value();
            if (!RESOURCES.contains(name)) {
                reporter.report(ErrorCode.E009, r.name().location(), "unknown resource '" + name + "'",
                        Suggest.closest(name, RESOURCES).map(m -> "did you mean '" + m + "'?")
                                .orElse("the resources are cpu and memory"));
                continue;
            }
            Attribute.Resource earlier = first.putIfAbsent(name, r);
            if (earlier != null) {
                reporter.report(ErrorCode.E012, r.name().location(), "duplicate resource '" + name
                        + "' (first set at line " + earlier.location().line() + ")", "remove one of them");
                continue;
            }
            String amount = r.amount().text();
            Quantities.Problem problem = name.equals("cpu") ? Quantities.cpu(amount) : Quantities.memory(amount);
            if (problem != null) {
                reporter.report(ErrorCode.E008, r.amount().location(), problem.message(), problem.hint());
            }
            out.put(name, amount);
        }
        return out;
    }

    /** The whole number in {@code [min, max]}, or {@code fallback} after reporting E010. */
    private long whole(NumberLit n, String what, long min, long max, long fallback) {
        return Numbers.whole(reporter, n, what, min, max, fallback);
    }
}
