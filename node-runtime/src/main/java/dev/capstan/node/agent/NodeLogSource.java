package dev.capstan.node.agent;

import dev.capstan.engine.api.LogSource;
import dev.capstan.engine.store.NotFoundException;
import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Node;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The API server's {@link LogSource}: finds the agent of the pod's node and reads the container's CRI log
 * files there. An agent in the same process (as under {@code capstan up}) is read directly; a separate
 * {@code capstan agent} is reached at the log endpoint its Node advertises (annotation {@value
 * #ENDPOINT_ANNOTATION}, served by {@link AgentLogServer}) with the agents' token. Thread-safe.
 */
public final class NodeLogSource implements LogSource {
    /** Node annotation: where a separate agent serves its pods' logs ({@code http://127.0.0.1:PORT}). */
    public static final String ENDPOINT_ANNOTATION = "capstan.dev/log-endpoint";

    private final Map<String, NodeAgent> agents = new ConcurrentHashMap<>();
    private final Function<String, Optional<Node>> nodes;
    private final String agentToken;
    private final HttpClient http;

    /** Only agents in this process. */
    public NodeLogSource() {
        this(name -> Optional.empty(), null);
    }

    /**
     * Agents in this process, and separate agents found through {@code nodes} (a node name to its Node),
     * reached with {@code agentToken} (the token separate agents were given).
     */
    public NodeLogSource(Function<String, Optional<Node>> nodes, String agentToken) {
        this.nodes = nodes;
        this.agentToken = agentToken;
        this.http = agentToken == null ? null
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Makes the logs of the pods on this agent's node readable. */
    public void add(NodeAgent agent) {
        agents.put(agent.nodeName(), agent);
    }

    @Override
    public InputStream open(LogRequest request) throws IOException {
        String node = request.pod().nodeName();
        String name = request.pod().metadata().name();
        if (node == null || node.isEmpty()) {
            throw new NotFoundException("pod \"" + name + "\" is not scheduled yet: it has no logs");
        }
        NodeAgent agent = agents.get(node);
        if (agent != null) {
            return agent.openLog(request.pod(), request.container(), request.previous(), request.follow(),
                    request.tailLines());
        }
        String endpoint = nodes.apply(node).map(n -> n.metadata().annotations().get(ENDPOINT_ANNOTATION))
                .orElse(null);
        if (endpoint == null || http == null) {
            throw new NotFoundException("pod \"" + name + "\" runs on node " + node
                    + ", whose agent serves no logs (it is not in this process and advertises no log endpoint)");
        }
        return remote(URI.create(endpoint), request);
    }

    private InputStream remote(URI endpoint, LogRequest r) throws IOException {
        var m = r.pod().metadata();
        StringBuilder q = new StringBuilder("?uid=").append(enc(m.uid()));
        if (r.follow()) {
            q.append("&follow=true");
        }
        if (r.previous()) {
            q.append("&previous=true");
        }
        if (r.tailLines() != null) {
            q.append("&tailLines=").append(r.tailLines());
        }
        URI uri = endpoint.resolve(AgentLogServer.PATH + enc(m.namespace()) + "/" + enc(m.name()) + "/"
                + enc(r.container()) + q);
        HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + agentToken).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + endpoint + " for logs", e);
        } catch (IOException e) {
            throw new IOException("the agent of node " + r.pod().nodeName() + " at " + endpoint
                    + " does not answer: " + e.getMessage(), e);
        }
        if (resp.statusCode() == 200) {
            return resp.body();
        }
        String body;
        try (InputStream in = resp.body()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        if (resp.statusCode() == 404) {
            throw new NotFoundException(body);
        }
        throw new StoreException(resp.statusCode() == 401 ? 502 : resp.statusCode(), "AgentError",
                "the agent of node " + r.pod().nodeName() + " refused the log request (" + resp.statusCode() + "): "
                        + body);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
