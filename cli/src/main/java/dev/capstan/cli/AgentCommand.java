package dev.capstan.cli;

import dev.capstan.engine.client.Kubeconfig;
import dev.capstan.node.agent.StandaloneAgent;
import dev.capstan.node.runtime.RuntimeFailure;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code capstan agent}: one node agent in a process of its own, registered against a running control
 * plane ({@code capstan up} or {@code capstan server}). Runs until Ctrl-C.
 */
@Command(name = "agent", description = {"Run a node agent that joins a running Capstan control plane.",
        "It registers NODE, runs the pods bound to it and serves their logs to the API server."})
final class AgentCommand implements Callable<Integer> {

    @Option(names = "--api", required = true, paramLabel = "URL",
            description = "The API server, e.g. https://127.0.0.1:7070 (what 'capstan up' prints).")
    String apiUrl;

    private URI api;

    @Option(names = "--token-file", required = true, paramLabel = "PATH",
            description = "The agents' token ('capstan up' writes it to STATE_DIR/agent-token).")
    Path tokenFile;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "This node's name, unique in the cluster.")
    String node;

    @Option(names = "--ca-file", paramLabel = "PATH",
            description = "The API server's CA certificate (PEM); default: the one in --kubeconfig when its server is --api.")
    Path caFile;

    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "Where to find the CA (default: ~/.capstan/kubeconfig).")
    Path kubeconfig;

    @Option(names = "--runtime", defaultValue = "auto",
            description = "auto, cri (containerd) or process (default: ${DEFAULT-VALUE}).")
    String runtime;

    @Option(names = "--containerd-socket", paramLabel = "PATH",
            description = "Use this containerd instead of starting a private one.")
    String containerdSocket;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Runtime state and logs (default: ~/.capstan/agent-NODE).")
    Path stateDir;

    @Option(names = "--port-base", defaultValue = "24000",
            description = "First of 1000 host ports given to pods (default: ${DEFAULT-VALUE}).")
    int portBase;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A node label (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--logs", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
            description = "Where the API server reads this agent's logs (default: ${DEFAULT-VALUE}, any free port).")
    String logs;

    @Option(names = "--keep-pods", description = "Leave the pods running on exit; the next agent adopts them.")
    boolean keepPods;

    @Override
    public Integer call() throws Exception {
        try {
            api = new URI(apiUrl.strip());
        } catch (java.net.URISyntaxException e) {
            api = null;
        }
        if (api == null || !"http".equals(api.getScheme()) && !"https".equals(api.getScheme()) || api.getHost() == null) {
            throw new UserError("--api must be a URL such as https://127.0.0.1:7070, not '" + apiUrl + "'", 2);
        }
        if (!node.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw new UserError("--node '" + node + "' is not a valid node name (lower case letters, digits, '-', '.')", 2);
        }
        String token = read(tokenFile, "--token-file");
        int colon = logs.lastIndexOf(':');
        int logPort;
        try {
            logPort = Integer.parseInt(logs.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new UserError("--logs must be HOST:PORT, for example 127.0.0.1:10250", 2);
        }
        StandaloneAgent.Options options = new StandaloneAgent.Options(api, token, ca(), node, runtime, containerdSocket,
                stateDir != null ? stateDir : UpCommand.HOME.resolve("agent-" + node), portBase, labels,
                logs.substring(0, colon), logPort, keepPods);
        StandaloneAgent agent;
        try {
            agent = StandaloneAgent.start(options);
        } catch (RuntimeFailure | IOException e) {
            throw new UserError(e.getMessage());
        }
        System.out.println("capstan agent: node " + node + " registered with " + api);
        System.out.println("capstan agent: runtime " + agent.runtimeReason());
        System.out.println("capstan agent: logs served to the API server at " + agent.logEndpoint());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            System.out.println("capstan agent: stopped" + (keepPods ? " (pods left running)" : ""));
            stopped.countDown();
        }, "capstan-agent-shutdown"));
        System.out.println("capstan agent: running; Ctrl-C stops it" + (keepPods ? "" : " and its pods"));
        stopped.await();
        return 0;
    }

    private String ca() {
        if (caFile != null) {
            return read(caFile, "--ca-file");
        }
        if (!"https".equals(api.getScheme())) {
            return null;
        }
        Path path = kubeconfig != null ? kubeconfig : UpCommand.HOME.resolve("kubeconfig");
        if (!Files.exists(path)) {
            return null; // the JDK's trust store then decides
        }
        try {
            Kubeconfig k = Kubeconfig.read(path);
            return sameServer(k.server(), api) ? k.certificateAuthorityPem() : null;
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage());
        }
    }

    private static boolean sameServer(URI a, URI b) {
        return a != null && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort();
    }

    private static String read(Path file, String option) {
        try {
            String s = Files.readString(file).strip();
            if (s.isEmpty()) {
                throw new UserError(option + " " + file + " is empty", 2);
            }
            return s;
        } catch (IOException e) {
            throw new UserError("cannot read " + option + " " + file + ": " + e.getMessage(), 2);
        }
    }
}
