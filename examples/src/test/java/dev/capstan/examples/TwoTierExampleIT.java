package dev.capstan.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.cli.up.AllInOne;
import dev.capstan.cli.up.UpOptions;
import dev.capstan.model.Endpoints;
import dev.capstan.model.Kinds;
import dev.capstan.model.Pod;
import dev.capstan.node.agent.NodeAgent;
import dev.capstan.node.proxy.NftablesProxier;
import dev.capstan.node.runtime.ContainerInfo;
import dev.capstan.node.runtime.Runtimes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.Context;
import javax.naming.directory.InitialDirContext;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/two-tier end to end: the front calls the back by name (service("back").url, expanded by the agent to
 * the back's cluster IP and port), through the service proxy. Calling the front through its own cluster IP
 * reaches every back replica; after one back replica is killed (its container, with no grace), no request
 * fails: the proxy fails over while the endpoint is still listed, and the endpoint goes until the replica is
 * restarted and ready again.
 * The cluster DNS server answers the services' names.
 */
class TwoTierExampleIT {
    private static final Path EXAMPLE = Path.of("two-tier/two-tier.cap");
    private static final Pattern ANSWER = Pattern.compile("front (front-\\S+) <- back (back-\\S+)");

    @TempDir
    Path tmp;

    @Test
    void frontReachesEveryBackReplicaAndSurvivesAKilledOneUnderTheProcessRuntime() throws Exception {
        run("process", 51000);
    }

    @Test
    void frontReachesEveryBackReplicaAndSurvivesAKilledOneUnderContainerd() throws Exception {
        Optional<String> why = Runtimes.containerdUnusable(null);
        Assumptions.assumeTrue(why.isEmpty(), () -> "containerd test skipped: " + why.orElse("")
                + " (CI installs it: apt-get install containerd runc busybox-static, as root)");
        run("containerd", 53000);
    }

    @Test
    void frontReachesEveryBackReplicaAndSurvivesAKilledOneThroughTheNftablesProxy() throws Exception {
        Optional<String> why = NftablesProxier.unusable();
        Assumptions.assumeTrue(why.isEmpty(), () -> "nftables proxy test skipped: " + why.orElse("")
                + " (it needs root and the nft command; CI installs it: apt-get install nftables)");
        run("process", 55000, "nftables");
    }

    private void run(String runtime, int portBase) throws Exception {
        run(runtime, portBase, "netty");
    }

    private void run(String runtime, int portBase, String proxyMode) throws Exception {
        Path repo = tmp.resolve("repo");
        Path app = repo.resolve("apps/shop");
        Files.createDirectories(app);
        Files.copy(EXAMPLE, app.resolve("two-tier.cap"));
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("Add two tiers").setAuthor("Test", "test@example.com")
                    .setCommitter("Test", "test@example.com").setSign(false).call();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            UpOptions opts = new UpOptions(app, 2, runtime, null, Duration.ofMillis(300), "127.0.0.1", 0,
                    tmp.resolve("kubeconfig"), tmp.resolve("state"), portBase, "it-" + UUID.randomUUID(),
                    Duration.ofSeconds(3)).withServices(new UpOptions.ServiceOptions("127.0.77.53:0",
                    "cluster.local", "round-robin", null, null, proxyMode));
            try (AllInOne system = AllInOne.start(opts, new PrintStream(output, true, StandardCharsets.UTF_8))) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> ready(system, "back").size() == 3 && ready(system, "front").size() == 2
                                && endpoints(system, "back") == 3 && endpoints(system, "front") == 2);
                String frontIp = system.store().get(Kinds.SERVICE, "shop", "front").orElseThrow().spec().clusterIP();
                String backIp = system.store().get(Kinds.SERVICE, "shop", "back").orElseThrow().spec().clusterIP();
                URI call = URI.create("http://" + frontIp + ":8080/cgi-bin/call");

                Set<String> backs = new TreeSet<>();
                ready(system, "back").forEach(p -> backs.add(p.metadata().name()));
                Set<String> seen = new TreeSet<>();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    Matcher m = ANSWER.matcher(getOrEmpty(call));
                    if (m.find()) {
                        seen.add(m.group(2));
                    }
                    return seen.containsAll(backs);
                });
                assertThat(seen).isEqualTo(backs);

                // the DNS server knows both services
                assertThat(resolve(system, "back.shop.svc.cluster.local")).isEqualTo(backIp);
                assertThat(resolve(system, "front.shop.svc.cluster.local")).isEqualTo(frontIp);

                Pod victim = ready(system, "back").get(0);
                kill(system, victim);
                // the agent notices the dead container: its endpoint is removed until the restarted one is ready
                // again (a restart can be quick enough under the process runtime that the removal is not seen)
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> endpoints(system, "back") == 2 || restarts(system, victim) > 0);
                if (proxyMode.equals("nftables")) {
                    // the kernel does not fail over: a connection to a listed endpoint that is not listening is
                    // refused. Once the Endpoints are right again (the victim gone, or restarted and listening),
                    // no request may fail.
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                            .until(() -> endpointsListening(system, "back"));
                }
                List<String> failures = new ArrayList<>();
                Set<String> after = new TreeSet<>();
                for (int i = 0; i < 30; i++) {
                    String body = getOrEmpty(call);
                    Matcher m = ANSWER.matcher(body);
                    if (m.find()) {
                        after.add(m.group(2));
                    } else {
                        failures.add(i + ": '" + body.strip() + "'");
                    }
                }
                assertThat(failures).as("requests after the endpoint was removed").isEmpty();
                assertThat(backs).containsAll(after);
                assertThat(system.proxy().table().mode()).startsWith(proxyMode);
                assertThat(system.proxy().table().counters("shop/back").orElseThrow().connections())
                        .isGreaterThanOrEqualTo(30);
            }
        }
    }

    /** Kills the replica's container (no grace): the process dies as on a crash. */
    private static void kill(AllInOne system, Pod pod) throws Exception {
        for (NodeAgent agent : system.agents()) {
            if (!agent.nodeName().equals(pod.nodeName())) {
                continue;
            }
            for (ContainerInfo c : agent.runtime().listContainers()) {
                if (pod.metadata().uid().equals(c.labels().get("capstan.dev/pod-uid"))
                        && c.state() == ContainerInfo.State.RUNNING) {
                    agent.runtime().stopContainer(c.id(), Duration.ZERO);
                    return;
                }
            }
        }
        throw new AssertionError("no running container of " + pod.key());
    }

    private static String resolve(AllInOne system, String name) throws Exception {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, "dns://" + system.dns().address().getAddress().getHostAddress() + ":"
                + system.dns().address().getPort());
        InitialDirContext ctx = new InitialDirContext(env);
        try {
            return ctx.getAttributes(name, new String[]{"A"}).get("A").get().toString();
        } finally {
            ctx.close();
        }
    }

    /**
     * One request on a new connection (HTTP/1.0, so neither side keeps it: busybox httpd closes after each
     * answer, and a pooled connection it already closed would fail for reasons that are not the proxy's).
     */
    private static String getOrEmpty(URI uri) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + uri.getPath() + " HTTP/1.0\r\nHost: front\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.startsWith("HTTP/1.") && response.contains(" 200 ") ? response
                    : "bad response: " + response;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static List<Pod> ready(AllInOne system, String app) {
        return system.store().list(Kinds.POD, "shop").stream()
                .filter(p -> app.equals(p.metadata().labels().get("app")))
                .filter(p -> p.metadata().deletionTimestamp() == null && Pod.RUNNING.equals(p.phase()) && p.isReady())
                .toList();
    }

    private static int restarts(AllInOne system, Pod pod) {
        return system.store().get(Kinds.POD, "shop", pod.metadata().name())
                .filter(p -> p.status() != null && !p.status().containerStatuses().isEmpty())
                .map(p -> p.status().containerStatuses().get(0).restartCount()).orElse(0);
    }

    /** Every address in the service's Endpoints accepts a connection. */
    private static boolean endpointsListening(AllInOne system, String service) {
        Endpoints ep = system.store().get(Kinds.ENDPOINTS, "shop", service).orElse(null);
        if (ep == null) {
            return false;
        }
        for (Endpoints.Subset subset : ep.subsets()) {
            for (Endpoints.Address a : subset.addresses() == null ? List.<Endpoints.Address>of() : subset.addresses()) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(a.ip(), subset.ports().get(0).port()), 1000);
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int endpoints(AllInOne system, String service) {
        return system.store().get(Kinds.ENDPOINTS, "shop", service)
                .map(e -> e.subsets().stream().mapToInt(s -> s.addresses() == null ? 0 : s.addresses().size()).sum())
                .orElse(0);
    }
}
