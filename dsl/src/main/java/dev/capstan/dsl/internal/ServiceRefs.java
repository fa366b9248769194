package dev.capstan.dsl.internal;

import dev.capstan.dsl.ErrorCode;
import dev.capstan.dsl.ast.Entry;
import dev.capstan.dsl.ast.ServiceRef;
import dev.capstan.model.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Env values that refer to another service ({@code BACKEND = service("api").url}). They are collected while
 * services are checked and resolved once every service is known: a service of the same namespace becomes the
 * variables the node agent gives every pod and expands ({@code http://$(API_SERVICE_HOST):$(API_SERVICE_PORT_HTTP)});
 * one of another namespace becomes its DNS name, which the pod's search path completes ({@code http://api.shop:80}).
 */
final class ServiceRefs {
    static final List<String> FIELDS = List.of("url", "host", "port");

    /** One reference: the env list of the referring service and the index its value takes there. */
    private record Use(ServiceRef ref, String namespace, List<Container.EnvVar> env, int index) {
    }

    private final Reporter reporter;
    private final List<Use> uses = new ArrayList<>();

    ServiceRefs(Reporter reporter) {
        this.reporter = reporter;
    }

    /**
     * Records the reference of {@code e} from a service in {@code namespace}; {@code env} must be the (mutable)
     * list that {@code e}'s placeholder was just added to. An unknown field is reported at once (E062).
     */
    void use(Entry e, String namespace, List<Container.EnvVar> env) {
        ServiceRef ref = e.ref();
        if (ref.field() == null) {
            return;
        }
        String field = ref.field().value();
        if (!FIELDS.contains(field)) {
            reporter.report(ErrorCode.E062, ref.field().location(), "unknown field '" + field
                    + "' of a service reference", Suggest.closest(field, FIELDS).map(m -> "did you mean '" + m + "'?")
                    .orElse("a service reference ends in .url, .host or .port"));
            return;
        }
        if (namespace != null) {
            uses.add(new Use(ref, namespace, env, env.size() - 1));
        }
    }

    /** Resolves every recorded reference against the checked services, reporting E060 and E061. */
    void resolve(List<Program.ServiceSpec> services, boolean namespacesKnown) {
        for (Use u : uses) {
            String target = u.ref().target().value();
            String name = target;
            String ns = u.namespace();
            int dot = target.indexOf('.');
            int slash = target.indexOf('/');
            if (dot > 0) {
                name = target.substring(0, dot);
                ns = target.substring(dot + 1);
            } else if (slash > 0) {
                ns = target.substring(0, slash);
                name = target.substring(slash + 1);
            }
            Program.ServiceSpec found = null;
            List<String> candidates = new ArrayList<>();
            for (Program.ServiceSpec s : services) {
                if (s.namespace().equals(ns)) {
                    candidates.add(s.name());
                    if (s.name().equals(name)) {
                        found = s;
                    }
                }
            }
            if (found == null) {
                if (namespacesKnown) {
                    String n = name;
                    String elsewhere = services.stream().filter(s -> s.name().equals(n)).map(s -> s.namespace())
                            .findFirst().map(other -> "service '" + n + "' is in namespace '" + other
                                    + "': write service(\"" + n + "." + other + "\")").orElse(null);
                    reporter.report(ErrorCode.E060, u.ref().target().location(), "unknown service '" + name
                            + "' in namespace '" + ns + "'", elsewhere != null ? elsewhere
                            : Suggest.closest(n, candidates).map(m -> "did you mean '" + m + "'?")
                            .orElse("declare it: service " + name + " in " + ns + " { ... }"));
                }
                continue;
            }
            String field = u.ref().field().value();
            Program.PortSpec port = found.ports().stream().filter(p -> p.name().equals("http")).findFirst()
                    .orElse(found.ports().isEmpty() ? null : found.ports().get(0));
            if (port == null && !field.equals("host")) {
                reporter.report(ErrorCode.E061, u.ref().location(), "service '" + name + "' declares no port, so it "
                        + "has no " + field, "add a port to it (port http 8080) or use .host");
                continue;
            }
            boolean local = ns.equals(u.namespace());
            String host = local ? "$(" + variable(name) + "_SERVICE_HOST)" : name + "." + ns;
            String portText = port == null ? "" : local ? "$(" + variable(name) + "_SERVICE_PORT_"
                    + variable(port.name()) + ")" : Integer.toString(port.servicePort());
            String value = switch (field) {
                case "host" -> host;
                case "port" -> portText;
                default -> "http://" + host + ":" + portText;
            };
            Container.EnvVar old = u.env().get(u.index());
            u.env().set(u.index(), new Container.EnvVar(old.name(), value));
        }
    }

    /** {@code api-v2} → {@code API_V2}, as the node agent names service variables. */
    static String variable(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
