package dev.capstan.cli.up;

import dev.capstan.dsl.CapCompiler;
import dev.capstan.engine.api.ApiServer;
import dev.capstan.engine.api.Identity;
import dev.capstan.engine.api.PodAdmission;
import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.engine.client.Kubeconfig;
import dev.capstan.engine.controller.ControllerRunner;
import dev.capstan.engine.controller.EventRecorder;
import dev.capstan.engine.controller.RunnerConfig;
import dev.capstan.engine.controller.builtin.ControlPlaneConfig;
import dev.capstan.engine.leader.LeaderControlPlane;
import dev.capstan.engine.store.HazelcastStateStore;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.StoreConfig;
import dev.capstan.engine.controller.builtin.NodePortRange;
import dev.capstan.model.Kinds;
import dev.capstan.gitsync.CommitVerifier;
import dev.capstan.gitsync.DriftController;
import dev.capstan.gitsync.GitReader;
import dev.capstan.gitsync.GitSource;
import dev.capstan.gitsync.GitSyncException;
import dev.capstan.gitsync.GitWatcher;
import dev.capstan.gitsync.PolicyGate;
import dev.capstan.gitsync.PolicyRepository;
import dev.capstan.gitsync.RefWatcher;
import dev.capstan.gitsync.RevisionApplier;
import dev.capstan.gitsync.SyncOutcome;
import dev.capstan.node.agent.AgentConfig;
import dev.capstan.node.agent.NodeAgent;
import dev.capstan.node.agent.NodeLogSource;
import dev.capstan.node.agent.ClusterDns;
import dev.capstan.node.dns.DnsServer;
import dev.capstan.node.proxy.ServiceProxy;
import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.Runtimes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The whole of Capstan in one process, as {@code capstan up} runs it: an embedded Hazelcast member,
 * the controllers and scheduler, the API server, the service proxy, N node agents (each talking to the API
 * over HTTP, as a separate agent would) and git-sync. There is one service proxy per process, not one per
 * node: the in-process nodes share this host's loopback, so one listener per {@code VIP:port} serves them all
 * (a second would find the address taken). {@link #close()} stops it all in reverse order, pods included.
 */
public final class AllInOne implements AutoCloseable {
    private final UpOptions options;
    private final PrintStream out;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<NodeAgent> agents = new ArrayList<>();
    private final List<Consumer<SyncOutcome>> syncListeners = new CopyOnWriteArrayList<>();
    private HazelcastStateStore store;
    private ApiServer api;
    private Runtimes.Pool runtimes;
    private final List<GitWatcher> watchers = new CopyOnWriteArrayList<>();
    /** Each followed source's admission: its last applied revision's policies also admit API pod writes. */
    private final List<PolicyGate> gates = new CopyOnWriteArrayList<>();
    private final ServiceNetwork network;
    private String token;

    private PolicyOptions policies = PolicyOptions.NONE;

    private AllInOne(UpOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.network = new ServiceNetwork(options.services(), this::say);
    }

    /**
     * Starts everything; on any failure stops what was started and throws. Messages of
     * {@link GitSyncException}, {@link RuntimeFailure} and {@link UncheckedIOException} are meant for people.
     */
    public static AllInOne start(UpOptions options, PrintStream out) throws GitSyncException, RuntimeFailure,
            IOException {
        return start(options, out, PolicyOptions.NONE);
    }

    /** Like {@link #start(UpOptions, PrintStream)}, with admission policies from beside the followed path. */
    public static AllInOne start(UpOptions options, PrintStream out, PolicyOptions policies) throws GitSyncException,
            RuntimeFailure, IOException {
        AllInOne system = new AllInOne(options, out);
        system.policies = policies;
        try {
            system.startAll();
            return system;
        } catch (GitSyncException | RuntimeFailure | IOException | RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private void startAll() throws GitSyncException, RuntimeFailure, IOException {
        Files.createDirectories(options.stateDir());
        List<FollowedSource> sources = FollowedSource.resolve(options, System.getenv()); // fail before starting anything
        sources.stream().filter(f -> f.mirror() != null).forEach(f -> started.add(f.mirror()));
        PolicyRepository policyRepo = policies.openRepository(options.stateDir(), System.getenv());
        if (policyRepo != null) {
            started.add(policyRepo);
            say("policies from " + policyRepo.describe() + " at " + policyRepo.commitInForce().substring(0, 7)
                    + ", fetched on every poll of the sources");
        }
        CommitVerifier verifier = options.trustedKeys() == null ? null
                : CommitVerifier.trusting(options.trustedKeys(), options.stateDir().resolve("git"));

        store = HazelcastStateStore.embedded(StoreConfig.defaults().withClusterName(options.clusterName())
                .withBackupCount(0));
        started.add(store);
        ControlPlaneConfig cp = ControlPlaneConfig.defaults()
                .withNodeLifecycle(options.nodeGrace(), options.nodeGrace())
                .withScoringStrategy(options.scoringStrategy())
                .withNodePortRange(options.services().nodePorts());
        started.add(LeaderControlPlane.start(store, cp)); // a lone member leads at once, with a fencing term

        token = randomToken();
        String agentToken = randomToken(); // for agents in other processes: 'capstan agent --token-file'
        StateStore st = store;
        NodeLogSource logs = new NodeLogSource(name -> st.get(Kinds.NODE, null, name), agentToken);
        ApiServer.Builder apiSettings = ApiServer.builder(store).bind(options.apiHost(), options.apiPort())
                .adminToken(token).token(agentToken, new Identity("agents", Identity.Role.ADMIN)).logSource(logs)
                .nodePortRange(options.services().nodePorts())
                .podAdmission((pod, nsLabels) -> { // gates are added as git-sync starts, below
                    PodAdmission.Decision d = PodAdmission.Decision.ALLOW;
                    for (PolicyGate g : gates) {
                        d = d.plus(PodAdmission.policies(g::lastApplied).review(pod, nsLabels));
                    }
                    return d;
                });
        if (options.webhookSecret() != null) {
            List<String> branches = sources.stream().map(f -> f.source().branch()).distinct().toList();
            String branch = branches.size() == 1 && !branches.get(0).equals("HEAD") ? branches.get(0) : null;
            apiSettings.webhook(options.webhookSecret(), branch, push -> {
                for (GitWatcher w : watchers) { // empty until git-sync starts, which syncs first thing anyway
                    String b = w.reader().source().branch();
                    if (b.equals(push.branch()) || b.equals("HEAD")) {
                        w.syncNow();
                    }
                }
            });
        }
        apiSettings.metrics(network::metrics);
        api = apiSettings.build().start();
        started.add(api);
        String ca = api.tls().map(t -> t.certificatePem()).orElse(null);
        new Kubeconfig(api.url(), token, ca).write(options.kubeconfig());
        say("API on " + api.url() + "; kubeconfig written to " + options.kubeconfig());
        Path agentTokenFile = options.stateDir().resolve("agent-token");
        writePrivate(agentTokenFile, agentToken + "\n");
        say("more nodes: capstan agent --api " + api.url() + " --token-file " + agentTokenFile + " --node NAME");
        if (options.webhookSecret() != null) {
            say("Git webhooks (GitHub, Gitea, GitLab push events) on " + api.url() + "/webhooks/git");
        }

        HttpApiClient proxyClient = new HttpApiClient(api.url(), token, ca);
        started.add(proxyClient);
        started.add(network);
        ClusterDns clusterDns = network.start(proxyClient);

        runtimes = Runtimes.pool(options.runtime(), options.stateDir(), options.containerdSocket());
        started.add(runtimes);
        say("runtime " + runtimes.reason());
        if (runtimes.name().equals("process")) {
            say("warning: the process runtime runs each container as a plain host process: no isolation, no "
                    + "resource limits, images are not used (install containerd and runc, and run as root, for containers)");
        }
        for (int i = 1; i <= options.nodes(); i++) {
            String node = "node-" + i;
            HttpApiClient client = new HttpApiClient(api.url(), token, ca);
            started.add(client);
            AgentConfig cfg = AgentConfig.defaults(node, options.portBase() + (i - 1) * 1000,
                    options.stateDir().resolve("logs").resolve(node));
            NodeAgent agent = new NodeAgent(cfg, client, runtimes.runtimeFor(node)).withClusterDns(clusterDns);
            agent.start();
            agents.add(agent);
            logs.add(agent);
        }
        say(options.nodes() + (options.nodes() == 1 ? " node" : " nodes") + " ready: "
                + agents.stream().map(NodeAgent::nodeName).toList());

        Progress progress = new Progress(store, out);
        progress.start();
        started.add(progress);
        syncListeners.add(progress::onSync);
        NodePortRange nodePorts = NodePortRange.parse(options.services().nodePorts());
        CapCompiler compiler = new CapCompiler().nodePorts(nodePorts.min(), nodePorts.max()); // written ones are checked
        for (FollowedSource f : sources) {
            GitSource source = f.source();
            RevisionApplier applier = new RevisionApplier(store, source);
            started.add(new ControllerRunner(store, new DriftController(applier, new EventRecorder(store, "git-sync")),
                    RunnerConfig.defaults().withWorkers(1)).start()); // puts back what is changed outside Git
            PolicyGate gate = policies.gate(source, policyRepo);
            gates.add(gate);
            GitWatcher watcher = new GitWatcher(new GitReader(source), compiler, applier, gate,
                    f.poll(),
                    o -> syncListeners.forEach(l -> l.accept(o)));
            if (f.mirror() != null) {
                watcher.fetchingWith(f.mirror()::fetch);
            }
            if (verifier != null) {
                watcher.verifyingWith(verifier);
            }
            started.add(watcher);
            watchers.add(watcher);
            String how = "polling every " + human(f.poll());
            if (f.mirror() == null && options.watchRefs()) {
                RefWatcher refs = RefWatcher.start(source, watcher::syncNow);
                if (refs != null) {
                    started.add(refs);
                    how = "syncing on every commit (its refs are watched) and polling every " + human(f.poll());
                }
            } else if (f.mirror() != null) {
                how += " (mirrored in " + f.mirror().directory() + ")";
            }
            say("following " + source.describe() + ", " + how + (verifier == null ? ""
                    : "; only commits signed by a key in " + options.trustedKeys()));
            watcher.start();
        }
    }

    /** The cluster DNS server of this process, or null. */
    public DnsServer dns() {
        return network.dns();
    }

    public StateStore store() {
        return store;
    }

    public URI apiUrl() {
        return api.url();
    }

    public String token() {
        return token;
    }

    public String runtimeName() {
        return runtimes.name();
    }

    /** The service proxy of this process. */
    public ServiceProxy proxy() {
        return network.proxy();
    }

    public List<NodeAgent> agents() {
        return List.copyOf(agents);
    }

    /** Asks git-sync to look at every source now instead of at the next poll. */
    public void syncNow() {
        watchers.forEach(GitWatcher::syncNow);
    }

    /** Called with every commit handled, after the progress output. */
    public void onSync(Consumer<SyncOutcome> listener) {
        syncListeners.add(listener);
    }

    /** Stops git-sync, then every pod and agent, then the control plane and the store. Idempotent. */
    @Override
    public synchronized void close() {
        watchers.forEach(GitWatcher::close);
        if (!agents.isEmpty()) {
            say("stopping the pods on " + agents.size() + (agents.size() == 1 ? " node" : " nodes") + "...");
            List<Thread> stops = new ArrayList<>();
            for (NodeAgent a : agents) {
                Thread t = new Thread(() -> a.shutdown(true, Duration.ofSeconds(15)), "stop-" + a.nodeName());
                t.start();
                stops.add(t);
            }
            for (Thread t : stops) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            agents.forEach(a -> a.runtime().close());
            agents.clear();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                say("while stopping: " + e.getMessage());
            }
        }
        started.clear();
    }

    private void say(String s) {
        synchronized (out) {
            out.println("capstan: " + s);
        }
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Writes a secret readable by its owner only. */
    private static void writePrivate(java.nio.file.Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }

    private static String randomToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
