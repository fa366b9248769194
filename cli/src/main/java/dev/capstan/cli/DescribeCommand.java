package dev.capstan.cli;

import dev.capstan.engine.client.ApiUnavailableException;
import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.store.StoreException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan describe pod|service|node NAME}: one object in detail, as kubectl describes it — labels,
 * placement, conditions, containers, for a pending pod why the scheduler could not place it, and its events.
 */
@Command(name = "describe", description = "Show one pod, service, node or deployment in detail, with its conditions and events.")
final class DescribeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KIND", description = "pod, service, node or deployment (or po, svc, no, deploy)")
    String kindName;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = {"-n", "--namespace"}, description = "Namespace (default: default).")
    String namespace;

    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "Default: ~/.capstan/kubeconfig, as written by 'capstan up'.")
    Path kubeconfig;

    @Override
    public Integer call() {
        String kind = kind(kindName);
        try (HttpApiClient api = ApiConnection.connect(kubeconfig)) {
            System.out.print(run(api, kind, namespace, name, Clock.systemUTC()));
        } catch (ApiUnavailableException e) {
            throw new UserError("cannot reach the Capstan API: " + e.getMessage() + " (is 'capstan up' running?)");
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
        return 0;
    }

    /** The description text; a {@link UserError} when the object does not exist. */
    static String run(HttpApiClient api, String kind, String namespace, String name, Clock clock) {
        String ns = "node".equals(kind) ? null : namespace == null ? "default" : namespace;
        return new Describer(api, clock).describe(kind, ns, name).orElseThrow(() -> new UserError(
                kind + " \"" + name + "\" not found" + (ns == null ? "" : " in namespace " + ns)));
    }

    /** Normalises pod/pods/po, service/services/svc, node/nodes/no. */
    static String kind(String k) {
        return switch (k.toLowerCase(Locale.ROOT)) {
            case "pod", "pods", "po" -> "pod";
            case "service", "services", "svc" -> "service";
            case "node", "nodes", "no" -> "node";
            case "deployment", "deployments", "deploy" -> "deployment";
            default -> throw new UserError("cannot describe '" + k + "'; try pod, service, node or deployment", 2);
        };
    }
}
