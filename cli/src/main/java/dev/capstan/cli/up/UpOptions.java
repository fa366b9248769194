package dev.capstan.cli.up;

import dev.capstan.engine.controller.builtin.NodePortRange;
import dev.capstan.engine.scheduler.ScoringStrategy;
import dev.capstan.gitsync.SourceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of an all-in-one system.
 *
 * @param dir              the followed directory, inside a Git repository
 * @param nodes            how many node agents to run in this process
 * @param runtime          {@code auto}, {@code containerd} or {@code process}
 * @param containerdSocket an existing containerd to use, or null to start a private one when needed
 * @param apiPort          0 for an ephemeral port
 * @param stateDir         containerd state, process runtime state, container logs
 * @param portBase         node i (1-based) hands out host ports from {@code portBase + (i-1) * 1000}
 * @param clusterName      the Hazelcast cluster name; unique per system on one machine
 * @param nodeGrace        a node whose lease is this old is NotReady; its pods are evicted as long again later
 * @param webhookSecret    the shared secret of {@code POST /webhooks/git}; null leaves the receiver off
 * @param scoringStrategy  how the scheduler scores node resources (null: LeastAllocated, spread)
 * @param services         cluster DNS and service proxy settings (null: {@link ServiceOptions#DEFAULTS})
 * @param sources          named sources ({@code --source}, {@code --sources FILE}); empty: follow {@code dir} alone
 * @param trustedKeys      with {@code --verify-signatures}: the trusted SSH keys (file or directory); null: no check
 * @param watchRefs        watch local repositories' refs and sync on every commit (default); false: only polls and
 *                         webhooks start a sync (tests and benchmarks that time a webhook)
 */
public record UpOptions(Path dir, int nodes, String runtime, String containerdSocket, Duration poll, String apiHost,
                        int apiPort, Path kubeconfig, Path stateDir, int portBase, String clusterName,
                        Duration nodeGrace, String webhookSecret, ScoringStrategy scoringStrategy,
                        ServiceOptions services, List<SourceSpec> sources, Path trustedKeys, boolean watchRefs) {

    public UpOptions {
        scoringStrategy = scoringStrategy == null ? ScoringStrategy.LEAST_ALLOCATED : scoringStrategy;
        services = services == null ? ServiceOptions.DEFAULTS : services;
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /**
     * Cluster DNS and the service proxy.
     *
     * @param dns       {@code IP:PORT} of the cluster DNS server, or null for none; when the port cannot be bound
     *                  (port 53 needs root) a free port on the same address is used instead
     * @param domain    the cluster domain ({@code cluster.local})
     * @param balance   the proxy's default balancing: {@code round-robin} or {@code least-connections}
     * @param nodePorts the node port range ({@code 30000-32767}; null: that default)
     * @param upstream  where the DNS server forwards names outside the cluster: {@code IP[:PORT][,IP[:PORT]...]},
     *                  {@code none} (refused), or null for the {@code nameserver}s of the host's /etc/resolv.conf
     * @param proxyMode what carries service traffic: {@code netty} (the user-space proxy, the default) or
     *                  {@code nftables} (the kernel rewrites connections; needs root and the nft command)
     */
    public record ServiceOptions(String dns, String domain, String balance, String nodePorts, String upstream,
                                 String proxyMode) {
        public static final ServiceOptions DEFAULTS = new ServiceOptions("127.0.77.53:53", "cluster.local",
                "round-robin");

        public ServiceOptions {
            nodePorts = nodePorts == null ? NodePortRange.DEFAULT : nodePorts;
            proxyMode = proxyMode == null ? "netty" : proxyMode;
        }

        /** With the Netty proxy. */
        public ServiceOptions(String dns, String domain, String balance, String nodePorts, String upstream) {
            this(dns, domain, balance, nodePorts, upstream, null);
        }

        /** The default node port range, forwarding to the host's resolvers. */
        public ServiceOptions(String dns, String domain, String balance) {
            this(dns, domain, balance, null, null);
        }
    }

    /** With the defaults for everything after the webhook secret. */
    public UpOptions(Path dir, int nodes, String runtime, String containerdSocket, Duration poll, String apiHost,
                     int apiPort, Path kubeconfig, Path stateDir, int portBase, String clusterName,
                     Duration nodeGrace, String webhookSecret) {
        this(dir, nodes, runtime, containerdSocket, poll, apiHost, apiPort, kubeconfig, stateDir, portBase,
                clusterName, nodeGrace, webhookSecret, null, null, List.of(), null, true);
    }

    /** Without a webhook receiver. */
    public UpOptions(Path dir, int nodes, String runtime, String containerdSocket, Duration poll, String apiHost,
                     int apiPort, Path kubeconfig, Path stateDir, int portBase, String clusterName,
                     Duration nodeGrace) {
        this(dir, nodes, runtime, containerdSocket, poll, apiHost, apiPort, kubeconfig, stateDir, portBase,
                clusterName, nodeGrace, null);
    }

    /** The same settings with a webhook secret. */
    public UpOptions withWebhookSecret(String secret) {
        return new UpOptions(dir, nodes, runtime, containerdSocket, poll, apiHost, apiPort, kubeconfig, stateDir,
                portBase, clusterName, nodeGrace, secret, scoringStrategy, services, sources, trustedKeys, watchRefs);
    }

    /** The same settings with another scheduler scoring strategy. */
    public UpOptions withScoringStrategy(ScoringStrategy s) {
        return new UpOptions(dir, nodes, runtime, containerdSocket, poll, apiHost, apiPort, kubeconfig, stateDir,
                portBase, clusterName, nodeGrace, webhookSecret, s, services, sources, trustedKeys, watchRefs);
    }

    /** The same settings with other service options. */
    public UpOptions withServices(ServiceOptions s) {
        return new UpOptions(dir, nodes, runtime, containerdSocket, poll, apiHost, apiPort, kubeconfig, stateDir,
                portBase, clusterName, nodeGrace, webhookSecret, scoringStrategy, s, sources, trustedKeys, watchRefs);
    }

    /** The same settings following these sources instead of {@code dir}. */
    public UpOptions withSources(List<SourceSpec> s) {
        return new UpOptions(dir, nodes, runtime, containerdSocket, poll, apiHost, apiPort, kubeconfig, stateDir,
                portBase, clusterName, nodeGrace, webhookSecret, scoringStrategy, services, s, trustedKeys, watchRefs);
    }

    /** The same settings accepting only commits signed by these keys. */
    public UpOptions withTrustedKeys(Path keys) {
        return new UpOptions(dir, nodes, runtime, containerdSocket, poll, apiHost, apiPort, kubeconfig, stateDir,
                portBase, clusterName, nodeGrace, webhookSecret, scoringStrategy, services, sources, keys, watchRefs);
    }

    /** The same settings without watching local refs: only polls and webhooks ({@code syncNow}) start a sync. */
    public UpOptions withoutRefWatch() {
        return new UpOptions(dir, nodes, runtime, containerdSocket, poll, apiHost, apiPort, kubeconfig, stateDir,
                portBase, clusterName, nodeGrace, webhookSecret, scoringStrategy, services, sources, trustedKeys,
                false);
    }

    @Override
    public String toString() { // never print the secret
        return "UpOptions[dir=" + dir + ", nodes=" + nodes + ", runtime=" + runtime + ", api=" + apiHost + ":"
                + apiPort + ", scheduling=" + scoringStrategy + ", webhook=" + (webhookSecret == null ? "off" : "on")
                + ", sources=" + sources + ", trustedKeys=" + trustedKeys + "]";
    }
}
