package dev.capstan.cli;

import dev.capstan.cli.up.AllInOne;
import dev.capstan.cli.up.UpOptions;
import dev.capstan.engine.scheduler.ScoringStrategy;
import dev.capstan.gitsync.GitSyncException;
import dev.capstan.gitsync.SourceSpec;
import dev.capstan.gitsync.SourcesFile;
import dev.capstan.node.dns.DnsUpstreams;
import dev.capstan.node.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code capstan up [DIR]}: the main job. Runs until Ctrl-C, then stops the pods it started. */
@Command(name = "up", description = {"Run Capstan in one process and follow a directory of a Git repository.",
        "Each new commit on the current branch is compiled and applied whole, or rejected with its errors."})
final class UpCommand implements Callable<Integer> {
    static final Path HOME = Path.of(System.getProperty("user.home"), ".capstan");

    @Parameters(arity = "0..1", paramLabel = "DIR",
            description = "Directory inside a Git repository to follow (default: the current one).")
    Path dir;

    @Option(names = "--source", paramLabel = "NAME=URL[#BRANCH][:PATH]",
            description = {"Follow this source instead of DIR; repeat for several. URL: a local path, file://, https:// "
                    + "or ssh:// (e.g. shop=https://git.example.com/shop.git#main:deploy). Credentials: --sources FILE."})
    List<String> sourceFlags = new ArrayList<>();

    @Option(names = "--sources", paramLabel = "FILE",
            description = "A YAML file of sources with their credentials (see docs/gitops.md).")
    Path sourcesFile;

    @Option(names = "--verify-signatures",
            description = "Apply only commits signed (SSH signatures) by a key in --trusted-keys; others are rejected.")
    boolean verifySignatures;

    @Option(names = "--trusted-keys", paramLabel = "FILE|DIR",
            description = "An allowed_signers file, a .pub file or a directory of .pub files, for --verify-signatures.")
    Path trustedKeys;

    @Option(names = "--nodes", defaultValue = "2", description = "Node agents to run in this process (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--runtime", defaultValue = "auto",
            description = "auto, containerd or process (default: ${DEFAULT-VALUE}: containerd when it can be used).")
    String runtime;

    @Option(names = "--containerd-socket", paramLabel = "PATH",
            description = "Use this containerd instead of starting a private one.")
    String containerdSocket;

    @Option(names = "--poll", defaultValue = "30s", converter = Durations.class,
            description = "How often to look for new commits (default: ${DEFAULT-VALUE}); local repositories are also "
                    + "watched, so their commits sync at once, and webhooks sync at once.")
    Duration poll;

    @Option(names = "--api", defaultValue = "127.0.0.1:7070", paramLabel = "HOST:PORT",
            description = "Where the API listens (default: ${DEFAULT-VALUE}).")
    String apiAddress;

    @Option(names = "--kubeconfig", paramLabel = "PATH", description = "Where to write the kubeconfig (default: ~/.capstan/kubeconfig).")
    Path kubeconfig;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Runtime state and logs (default: ~/.capstan/state).")
    Path stateDir;

    @Option(names = "--port-base", defaultValue = "20000",
            description = "First host port given to pods; node N uses 1000 ports from base + (N-1)*1000 (default: ${DEFAULT-VALUE}).")
    int portBase;

    @Option(names = "--node-grace", defaultValue = "10s", converter = Durations.class,
            description = "A node silent this long is NotReady; its pods move elsewhere as long again later (default: ${DEFAULT-VALUE}).")
    Duration nodeGrace;

    @Option(names = "--webhook-secret-file", paramLabel = "PATH",
            description = "Enable POST /webhooks/git (GitHub, Gitea, GitLab pushes) with the secret in this file "
                    + "(default: the CAPSTAN_WEBHOOK_SECRET environment variable; neither: no webhooks).")
    Path webhookSecretFile;

    @Option(names = "--scheduling-strategy", defaultValue = "least-allocated", paramLabel = "STRATEGY",
            description = "How the scheduler weighs node resources: least-allocated spreads pods over the emptiest "
                    + "nodes, most-allocated packs them onto the fullest nodes that fit (default: ${DEFAULT-VALUE}).")
    String schedulingStrategy;

    @Option(names = "--dns", defaultValue = "127.0.77.53:53", paramLabel = "IP:PORT|off",
            description = "Where the cluster DNS server listens (loopback; port 53 needs root, else a free port "
                    + "is used); 'off' for none (default: ${DEFAULT-VALUE}).")
    String dns;

    @Option(names = "--dns-upstream", paramLabel = "IP[:PORT],...|none",
            description = "Where the cluster DNS server forwards names outside the cluster (UDP; the next on "
                    + "failure); 'none' refuses them (default: the nameservers of /etc/resolv.conf).")
    String dnsUpstream;

    @Option(names = "--cluster-domain", defaultValue = "cluster.local",
            description = "The cluster DNS domain: SERVICE.NAMESPACE.svc.DOMAIN (default: ${DEFAULT-VALUE}).")
    String clusterDomain;

    @Option(names = "--proxy-balance", defaultValue = "round-robin",
            description = "The service proxy's balancing: round-robin or least-connections; a Service's annotation "
                    + "capstan.dev/balance overrides it (default: ${DEFAULT-VALUE}).")
    String proxyBalance;

    @Option(names = "--proxy-mode", defaultValue = "netty", paramLabel = "netty|nftables",
            description = "What carries service traffic: netty, a user-space proxy with failover and least-connections; "
                    + "or nftables, the kernel rewrites each connection (no copy, needs root and nft) (default: "
                    + "${DEFAULT-VALUE}).")
    String proxyMode;

    @Mixin
    NodePortRangeOption nodePortRange = new NodePortRangeOption();

    @Mixin
    dev.capstan.cli.up.PolicyFlags policyFlags = new dev.capstan.cli.up.PolicyFlags();

    @Override
    public Integer call() throws Exception {
        if (!proxyBalance.equals("round-robin") && !proxyBalance.equals("least-connections")) {
            throw new UserError("--proxy-balance must be round-robin or least-connections", 2);
        }
        if (!proxyMode.equals("netty") && !proxyMode.equals("nftables")) {
            throw new UserError("--proxy-mode must be netty or nftables", 2);
        }
        if (!dns.equals("off") && !dns.matches("[0-9.]+:[0-9]{1,5}")) {
            throw new UserError("--dns must be IP:PORT (for example 127.0.77.53:53) or off", 2);
        }
        if (dnsUpstream != null) {
            try {
                DnsUpstreams.parse(dnsUpstream);
            } catch (IllegalArgumentException e) {
                throw new UserError("--dns-upstream: " + e.getMessage()
                        + "; for example 10.0.0.2,10.0.0.3:5353 or none", 2);
            }
        }
        if (nodes < 1 || nodes > 50) {
            throw new UserError("--nodes must be between 1 and 50", 2);
        }
        nodePortRange.range();
        int colon = apiAddress.lastIndexOf(':');
        if (colon < 0) {
            throw new UserError("--api must be HOST:PORT, for example 127.0.0.1:7070", 2);
        }
        int port;
        try {
            port = Integer.parseInt(apiAddress.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UserError("--api must be HOST:PORT, for example 127.0.0.1:7070", 2);
        }
        List<SourceSpec> sources = sources();
        if (!sources.isEmpty() && dir != null) {
            throw new UserError("give either DIR or --source/--sources, not both (a local directory can be a source: "
                    + "--source NAME=" + dir + ")", 2);
        }
        if (verifySignatures != (trustedKeys != null)) {
            throw new UserError(verifySignatures ? "--verify-signatures needs --trusted-keys FILE|DIR"
                    : "--trusted-keys is used with --verify-signatures", 2);
        }
        UpOptions options = new UpOptions(dir != null ? dir : Path.of("."), nodes, runtime, containerdSocket, poll, apiAddress.substring(0, colon),
                port, kubeconfig != null ? kubeconfig : HOME.resolve("kubeconfig"),
                stateDir != null ? stateDir : HOME.resolve("state"), portBase, "capstan-" + ProcessHandle.current().pid(),
                nodeGrace).withWebhookSecret(webhookSecret(webhookSecretFile, System.getenv("CAPSTAN_WEBHOOK_SECRET")))
                .withScoringStrategy(scoringStrategy(schedulingStrategy))
                .withServices(new UpOptions.ServiceOptions(dns.equals("off") ? null : dns, clusterDomain, proxyBalance,
                        nodePortRange.text, dnsUpstream, proxyMode))
                .withSources(sources).withTrustedKeys(trustedKeys);
        AllInOne system;
        try {
            system = AllInOne.start(options, System.out,
                    policyFlags.options());
        } catch (GitSyncException | RuntimeFailure e) {
            throw new UserError(e.getMessage());
        } catch (UncheckedIOException | IOException e) {
            IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            String msg = io instanceof java.nio.file.FileSystemException f ? fileProblem(f) : e.getMessage();
            if (msg != null && msg.contains("Address already in use")) {
                msg += " (is another 'capstan up' running? choose another port with --api)";
            }
            throw new UserError(msg);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            system.close();
            System.out.println("capstan: stopped");
            stopped.countDown();
        }, "capstan-shutdown"));
        System.out.println("capstan: running; Ctrl-C stops Capstan and its pods");
        stopped.await();
        return 0;
    }

    /** {@code least-allocated} / {@code most-allocated} (also LeastAllocated, spread, binpack …); else a usage error. */
    static ScoringStrategy scoringStrategy(String value) {
        try {
            return ScoringStrategy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UserError("--scheduling-strategy: unknown strategy '" + value
                    + "' (use least-allocated or most-allocated)", 2);
        }
    }

    /** The sources of --source and --sources, names unique; empty when neither is given. */
    List<SourceSpec> sources() {
        List<SourceSpec> out = new ArrayList<>();
        if (sourcesFile != null) {
            try {
                out.addAll(SourcesFile.load(sourcesFile));
            } catch (GitSyncException e) {
                throw new UserError(e.getMessage(), 2);
            }
        }
        for (String flag : sourceFlags) {
            try {
                out.add(SourceSpec.parse(flag));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage().startsWith("--source") ? e.getMessage()
                        : "--source " + SourceSpec.redact(flag) + ": " + e.getMessage(), 2);
            }
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (SourceSpec s : out) {
            if (!names.add(s.name())) {
                throw new UserError("two sources are named '" + s.name() + "'; each source needs its own name", 2);
            }
        }
        return out;
    }

    /** The webhook secret from the file (first), else the environment; null when neither gives one. */
    static String webhookSecret(Path file, String env) {
        String secret;
        if (file != null) {
            try {
                secret = java.nio.file.Files.readString(file).strip();
            } catch (IOException | UncheckedIOException e) {
                throw new UserError("cannot read --webhook-secret-file " + file + ": " + e.getMessage(), 2);
            }
            if (secret.isEmpty()) {
                throw new UserError("--webhook-secret-file " + file + " is empty", 2);
            }
            return secret;
        }
        secret = env == null ? "" : env.strip();
        return secret.isEmpty() ? null : secret;
    }

    /** "cannot write /x/y: permission denied (AccessDenied)" rather than the bare path the JDK gives. */
    static String fileProblem(java.nio.file.FileSystemException f) {
        String why = f.getReason() != null ? f.getReason()
                : f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : f instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                : f instanceof java.nio.file.FileAlreadyExistsException ? "already exists" : f.getClass().getSimpleName();
        return "cannot use " + f.getFile() + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "") + ": " + why
                + " (--state-dir and --kubeconfig choose where capstan up writes)";
    }
}
