package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.engine.client.ApiUnavailableException;
import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan get KIND [NAME]}: reads the cluster through the API, with the same columns kubectl
 * prints (the server's tables), or JSON for programs.
 */
@Command(name = "get", description = "List objects: pods, services, nodes, deployments, replicasets, jobs, "
        + "daemonsets, revisions, events, ...")
final class GetCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", description = "pods, services, nodes, deployments, replicasets, "
            + "jobs, daemonsets, namespaces, revisions, events, endpoints, leases (or a short name: po, svc, no, deploy, rs, ds, ns, rev)")
    String kindName;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = {"-n", "--namespace"}, description = "Namespace (default: default).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace.")
    boolean allNamespaces;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide or json.")
    String output;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Label selector, e.g. app=hello.")
    String selector;

    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "Default: ~/.capstan/kubeconfig, as written by 'capstan up'.")
    Path kubeconfig;

    @Override
    public Integer call() {
        Kind<?> kind = Kinds.find(kindName).orElseThrow(() -> new UserError("unknown kind '" + kindName
                + "'; try one of: " + Kinds.ALL.stream().map(Kind::plural).collect(Collectors.joining(", ")), 2));
        if (output != null && !output.equals("json") && !output.equals("wide")) {
            throw new UserError("--output must be wide or json", 2);
        }
        String ns = !kind.namespaced() || allNamespaces ? null : namespace == null ? "default" : namespace;
        try (HttpApiClient api = ApiConnection.connect(kubeconfig)) {
            if ("json".equals(output)) {
                printJson(api, kind, ns);
            } else {
                printTable(api, kind, ns);
            }
        } catch (ApiUnavailableException e) {
            throw new UserError("cannot reach the Capstan API: " + e.getMessage()
                    + " (is 'capstan up' running?)");
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
        return 0;
    }

    private <T extends KubeObject> void printJson(HttpApiClient api, Kind<T> kind, String ns) {
        if (name != null) {
            T obj = api.get(kind, ns, name).orElseThrow(() -> notFound(kind, ns));
            System.out.println(Json.pretty(obj));
            return;
        }
        List<T> items = api.list(kind, ns, null);
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", kind.apiVersion());
        list.put("kind", kind.kind() + "List");
        list.put("items", items);
        System.out.println(Json.pretty(list));
    }

    private void printTable(HttpApiClient api, Kind<?> kind, String ns) {
        JsonNode t = api.table(kind, ns, selector);
        boolean wide = "wide".equals(output);
        List<Integer> cols = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        if (ns == null && kind.namespaced()) {
            headers.add("NAMESPACE");
        }
        JsonNode defs = t.path("columnDefinitions");
        for (int i = 0; i < defs.size(); i++) {
            if (wide || defs.get(i).path("priority").asInt(0) == 0) {
                cols.add(i);
                headers.add(defs.get(i).path("name").asText().toUpperCase(java.util.Locale.ROOT));
            }
        }
        Table table = new Table(headers.toArray(String[]::new));
        List<JsonNode> rows = new ArrayList<>();
        t.path("rows").forEach(rows::add);
        if (kind == Kinds.REVISION) { // in the order the cluster saw them, not by SHA
            rows.sort(java.util.Comparator.comparingLong(r -> r.path("object").path("metadata")
                    .path("resourceVersion").asLong()));
        }
        for (JsonNode row : rows) {
            JsonNode meta = row.path("object").path("metadata");
            if (name != null && !name.equals(meta.path("name").asText())) {
                continue;
            }
            List<Object> cells = new ArrayList<>();
            if (ns == null && kind.namespaced()) {
                cells.add(meta.path("namespace").asText());
            }
            for (int i : cols) {
                JsonNode c = row.path("cells").path(i);
                cells.add(c.isNull() || c.isMissingNode() ? "<none>" : c.asText());
            }
            table.row(cells.toArray());
        }
        if (name != null && table.size() == 0) {
            throw notFound(kind, ns);
        }
        if (table.size() == 0) {
            System.err.println(ns == null ? "No resources found" : "No resources found in " + ns + " namespace.");
            return;
        }
        table.print(System.out);
    }

    private UserError notFound(Kind<?> kind, String ns) {
        return new UserError(kind.singular() + " \"" + name + "\" not found" + (ns == null ? "" : " in namespace " + ns));
    }
}
