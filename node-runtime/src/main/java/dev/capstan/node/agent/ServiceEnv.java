package dev.capstan.node.agent;

import dev.capstan.engine.client.ApiClient;
import dev.capstan.engine.client.WatchCache;
import dev.capstan.model.Container;
import dev.capstan.model.Kinds;
import dev.capstan.model.Service;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The service environment variables a container gets, as Kubernetes gives them: for every Service of the pod's
 * namespace that has a cluster IP, {@code <NAME>_SERVICE_HOST}, {@code <NAME>_SERVICE_PORT} (its first port) and
 * {@code <NAME>_SERVICE_PORT_<PORT>} for each named port ({@code api-v2} → {@code API_V2_SERVICE_HOST}). One per
 * agent: the Services come from a watch-fed cache (as the kubelet's come from an informer), not from a list per
 * container start. Thread-safe (pods sync side by side).
 */
final class ServiceEnv implements AutoCloseable {
    private final WatchCache<Service> services;

    /** Starts watching Services; the first list is taken on first use. */
    ServiceEnv(ApiClient api) {
        this.services = WatchCache.start(api, Kinds.SERVICE, null, e -> { });
    }

    /** The variables for a container of a pod in {@code namespace}, in a stable order. */
    Map<String, String> variables(String namespace) {
        return variables(services(namespace));
    }

    /**
     * A Service of the namespace that the container refers to ({@code $(API_SERVICE_HOST)} in its env, command
     * or args) but that has no cluster IP yet: starting it now would leave the reference unexpanded.
     */
    Optional<String> pending(String namespace, Container c) {
        StringBuilder text = new StringBuilder();
        c.env().forEach(e -> text.append(e.value()).append('\n'));
        c.command().forEach(s -> text.append(s).append('\n'));
        c.args().forEach(s -> text.append(s).append('\n'));
        if (text.indexOf("_SERVICE_") < 0) {
            return Optional.empty();
        }
        for (Service s : services(namespace)) {
            if (!hasAddress(s) && text.indexOf("$(" + prefix(s.metadata().name()) + "_SERVICE_") >= 0) {
                return Optional.of(s.metadata().name());
            }
        }
        return Optional.empty();
    }

    /** The namespace's Services; the first call lists them (and throws when the API cannot be reached). */
    private List<Service> services(String namespace) {
        if (!services.listed()) {
            synchronized (this) {
                if (!services.listed()) {
                    services.relist();
                }
            }
        }
        return services.inNamespace(namespace);
    }

    @Override
    public void close() {
        services.close();
    }

    static Map<String, String> variables(List<Service> services) {
        Map<String, String> out = new LinkedHashMap<>();
        services.stream().filter(ServiceEnv::hasAddress)
                .sorted(Comparator.comparing(s -> s.metadata().name()))
                .forEach(s -> {
                    String p = prefix(s.metadata().name());
                    out.put(p + "_SERVICE_HOST", s.spec().clusterIP());
                    List<Service.Port> ports = s.spec().ports();
                    if (ports.isEmpty()) {
                        return;
                    }
                    out.put(p + "_SERVICE_PORT", Integer.toString(ports.get(0).port()));
                    for (Service.Port port : ports) {
                        if (port.name() != null && !port.name().isBlank()) {
                            out.put(p + "_SERVICE_PORT_" + prefix(port.name()), Integer.toString(port.port()));
                        }
                    }
                });
        return out;
    }

    static boolean hasAddress(Service s) {
        String ip = s.spec() == null ? null : s.spec().clusterIP();
        return ip != null && !ip.isBlank() && !ip.equals("None");
    }

    /** {@code api-v2} → {@code API_V2}. */
    static String prefix(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
