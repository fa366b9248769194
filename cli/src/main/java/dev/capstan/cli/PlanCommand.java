package dev.capstan.cli;

import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.client.Kubeconfig;
import dev.capstan.gitsync.GitSource;
import dev.capstan.gitsync.GitSyncException;
import dev.capstan.gitsync.plan.ClusterSnapshot;
import dev.capstan.gitsync.plan.NodesFile;
import dev.capstan.gitsync.plan.Plan;
import dev.capstan.gitsync.plan.PlanComputer;
import dev.capstan.gitsync.plan.PlanException;
import dev.capstan.gitsync.plan.PlanJson;
import dev.capstan.gitsync.plan.PlanMarkdown;
import dev.capstan.gitsync.plan.PlanSide;
import dev.capstan.gitsync.plan.PlanText;
import dev.capstan.gitsync.plan.PolicyCheck;
import dev.capstan.model.Kinds;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code capstan plan}: what merging head over base would do — objects and fields, pods replaced, policy
 * verdicts, and where the new pods would go — as text, Markdown (a pull-request comment) or JSON.
 * Exit 0: no change, 1: changes, 2: head invalid, denied by policy, or bad input.
 */
@Command(name = "plan", sortOptions = false,
        description = "Show what merging HEAD over BASE would change: objects and fields, pods replaced, policy "
                + "verdicts and placement (exit 0: no change, 1: changes, 2: invalid or denied).")
final class PlanCommand implements Callable<Integer> {

    /** Output formats of {@code --format}. */
    enum Format { text, markdown, json }

    @Option(names = "--repo", defaultValue = ".", paramLabel = "DIR",
            description = "The repository, or a directory inside it (default: the current directory).")
    Path repo;

    @Option(names = "--base", required = true, paramLabel = "REV",
            description = "The revision merged into: a SHA, branch or tag (e.g. origin/main).")
    String base;

    @Option(names = "--head", defaultValue = "HEAD", paramLabel = "REV",
            description = "The revision proposed (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(names = "--path", paramLabel = "P",
            description = "Directory of .cap files inside the repository (default: where --repo points).")
    String path;

    @Option(names = "--cluster", arity = "0..1", fallbackValue = "", paramLabel = "URL",
            description = "Simulate placement on this cluster's nodes and pods; without URL, the kubeconfig's cluster.")
    String cluster;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Credentials for --cluster (default: ~/.capstan/kubeconfig).")
    Path kubeconfig;

    @Option(names = "--nodes", paramLabel = "FILE",
            description = "Simulate placement on the nodes described in this YAML/JSON file (see docs/plan.md).")
    Path nodes;

    @Option(names = "--policies", paramLabel = "DIR",
            description = "Also judge the head by the policy blocks of these files or directories (repeatable); "
                    + "policy blocks in the head revision always count.")
    List<Path> policyDirs = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default), markdown (a pull-request comment) or json (docs/plan.md).")
    Format format;

    @Mixin
    NodePortRangeOption nodePorts = new NodePortRangeOption();

    @Override
    public Integer call() {
        if (cluster != null && nodes != null) {
            throw new UserError("give --cluster or --nodes, not both", 2);
        }
        GitSource source = source();
        Plan plan;
        try {
            PlanSide b = PlanSide.read(source, base);
            PlanSide h = PlanSide.read(source, head);
            if (b.files().isEmpty() && h.files().isEmpty()) {
                throw new UserError("no .cap files under '" + (source.path().isEmpty() ? "." : source.path())
                        + "' in " + base + " or " + head + " (is --path right?)", 2);
            }
            ClusterSnapshot snapshot = nodes != null ? NodesFile.read(nodes) : cluster != null ? live() : null;
            plan = new PlanComputer(nodePorts.compiler(), new PlanPolicies(policyDirs)).compute(b, h, source.path(), snapshot);
        } catch (PlanException e) {
            throw new UserError(e.getMessage(), 2);
        }
        String out = switch (format) {
            case text -> PlanText.render(plan);
            case markdown -> PlanMarkdown.render(plan);
            case json -> PlanJson.render(plan);
        };
        System.out.print(out);
        System.out.flush();
        return plan.exitCode();
    }

    private GitSource source() {
        try {
            GitSource found = GitSource.discover(repo);
            if (path == null) {
                return found;
            }
            String p = path.replace('\\', '/').replaceAll("^\\./", "").replaceAll("/+$", "");
            if (p.equals(".")) {
                p = "";
            }
            if (p.startsWith("/") || p.contains("..")) {
                throw new UserError("--path must be a directory inside the repository, got '" + path + "'", 2);
            }
            return new GitSource(found.repoRoot(), p, found.ref());
        } catch (GitSyncException e) {
            throw new UserError(e.getMessage(), 2);
        }
    }

    /** Nodes and pods of the cluster at {@code --cluster URL} (or the kubeconfig's). */
    private ClusterSnapshot live() {
        HttpApiClient client = cluster.isEmpty() ? ApiConnection.connect(kubeconfig) : byUrl(cluster);
        try (client) {
            return new ClusterSnapshot(client.server().toString(), client.list(Kinds.NODE, null, null),
                    client.list(Kinds.POD, null, null));
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserError("cannot read nodes and pods from " + client.server() + ": " + e.getMessage(), 2);
        }
    }

    /** A client of {@code url} with the kubeconfig's token and certificate authority when there is one. */
    private HttpApiClient byUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UserError("--cluster: not a URL: " + url, 2);
        }
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
            throw new UserError("--cluster: expected http:// or https://, got " + url, 2);
        }
        Path kc = kubeconfig != null ? kubeconfig : UpCommand.HOME.resolve("kubeconfig");
        if (Files.exists(kc)) {
            try {
                Kubeconfig k = Kubeconfig.read(kc);
                return new HttpApiClient(uri, k.token(), k.certificateAuthorityPem());
            } catch (IOException e) {
                throw new UserError(e.getMessage(), 2);
            }
        }
        return new HttpApiClient(uri, System.getenv("CAPSTAN_TOKEN"));
    }
}
