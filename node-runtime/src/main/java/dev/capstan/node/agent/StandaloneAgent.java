package dev.capstan.node.agent;

import dev.capstan.engine.client.HttpApiClient;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.Runtimes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A node agent in a process of its own ({@code capstan agent}): a client of a running control plane's API,
 * a runtime, the agent, and the log endpoint the API server reads its pods' logs from. Start it, close it.
 */
public final class StandaloneAgent implements AutoCloseable {

    /**
     * @param api              the API server ({@code https://127.0.0.1:7070})
     * @param token            the bearer token to use (the agents' token {@code capstan up} writes)
     * @param caPem            the API server's certificate authority (PEM), or null for the JDK's trust store
     * @param runtime          {@code auto}, {@code containerd} (or {@code cri}) or {@code process}
     * @param containerdSocket an existing containerd to use, or null for a private one
     * @param stateDir         runtime state and logs
     * @param logHost          address the log endpoint binds ({@code 127.0.0.1})
     * @param logPort          its port, 0 for any free one
     * @param keepPods         leave the pods running on close (a restarted agent adopts them)
     */
    public record Options(URI api, String token, String caPem, String nodeName, String runtime,
                          String containerdSocket, Path stateDir, int portBase, Map<String, String> labels,
                          String logHost, int logPort, boolean keepPods) {
    }

    private final Options options;
    private HttpApiClient client;
    private Runtimes.Pool pool;
    private ContainerRuntime runtime;
    private NodeAgent agent;
    private AgentLogServer logs;

    private StandaloneAgent(Options options) {
        this.options = options;
    }

    /** Starts everything, or stops what it started and throws (messages are meant for people). */
    public static StandaloneAgent start(Options o) throws RuntimeFailure, IOException {
        StandaloneAgent a = new StandaloneAgent(o);
        try {
            a.startAll();
            return a;
        } catch (RuntimeFailure | IOException | RuntimeException e) {
            a.close();
            throw e;
        }
    }

    private void startAll() throws RuntimeFailure, IOException {
        client = new HttpApiClient(options.api(), options.token(), options.caPem());
        String mode = "cri".equalsIgnoreCase(options.runtime()) ? "containerd" : options.runtime();
        pool = Runtimes.pool(mode, options.stateDir(), options.containerdSocket());
        runtime = pool.runtimeFor(options.nodeName());
        AgentConfig d = AgentConfig.defaults(options.nodeName(), options.portBase(),
                options.stateDir().resolve("logs").resolve(options.nodeName()));
        AgentConfig config = new AgentConfig(d.nodeName(), options.labels(), d.portBase(), d.portCount(),
                d.logRoot(), d.syncInterval(), d.leaseDuration(), 0, 0, d.logMaxBytes(), d.logMaxFiles());
        agent = new NodeAgent(config, client, runtime);
        logs = AgentLogServer.start(agent, options.logHost(), options.logPort(), options.token());
        agent.advertiseLogs(logs.url());
        try {
            agent.start();
        } catch (dev.capstan.engine.store.StoreException e) {
            throw new RuntimeFailure("the API at " + options.api() + " refused to register node " + options.nodeName()
                    + " (" + e.httpStatus() + " " + e.getMessage() + ")" + (e.httpStatus() == 401
                    ? ": the token is not one it knows (capstan up writes the agents' token to STATE_DIR/agent-token)"
                    : ""), e);
        }
    }

    public NodeAgent agent() {
        return agent;
    }

    /** One line for people: which runtime and why. */
    public String runtimeReason() {
        return pool.reason();
    }

    /** Where the API server reads this agent's logs. */
    public URI logEndpoint() {
        return logs.url();
    }

    /** Stops the agent (and, unless kept, its pods), the log endpoint and the runtime. Idempotent. */
    @Override
    public synchronized void close() {
        if (agent != null) {
            agent.shutdown(!options.keepPods(), Duration.ofSeconds(30));
            agent = null;
        }
        if (logs != null) {
            logs.close();
            logs = null;
        }
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
        if (pool != null) {
            pool.close();
            pool = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
