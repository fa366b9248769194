package dev.capstan.node.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.capstan.engine.store.StoreException;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Pod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A separate agent's log endpoint (as the kubelet's {@code /containerLogs}): {@code GET
 * /containerLogs/NS/POD/CONTAINER?uid=U&follow=true&previous=true&tailLines=N} streams what {@link
 * NodeAgent#openLog} gives, as text. The API server reaches it through {@link NodeLogSource} with the
 * agents' bearer token; anything else gets 401. Plain HTTP: bind it to loopback (the default) or a network
 * you trust. Each request streams on a thread of its own.
 */
public final class AgentLogServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLogServer.class);
    static final String PATH = "/containerLogs/";

    private final HttpServer server;
    private final ExecutorService threads;
    private final byte[] token;

    private AgentLogServer(HttpServer server, ExecutorService threads, String token) {
        this.server = server;
        this.threads = threads;
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** Serves the agent's logs on {@code host:port} (0: any free port) to requests bearing {@code token}. */
    public static AgentLogServer start(NodeAgent agent, String host, int port, String token) throws IOException {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the log endpoint needs a token");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "agent-logs-" + agent.nodeName());
            t.setDaemon(true);
            return t;
        });
        AgentLogServer s = new AgentLogServer(server, threads, token.strip());
        server.setExecutor(threads);
        server.createContext(PATH, exchange -> s.handle(agent, exchange));
        server.start();
        return s;
    }

    /** Where the API server finds this endpoint: {@code http://HOST:PORT}. */
    public URI url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    private void handle(NodeAgent agent, HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")
                    || !MessageDigest.isEqual(token, auth.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
                reply(ex, 401, "a valid bearer token is needed");
                return;
            }
            if (!"GET".equals(ex.getRequestMethod())) {
                reply(ex, 405, "only GET");
                return;
            }
            String[] parts = ex.getRequestURI().getPath().substring(PATH.length()).split("/");
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            if (parts.length != 3 || q.get("uid") == null) {
                reply(ex, 400, "expected " + PATH + "NAMESPACE/POD/CONTAINER?uid=UID");
                return;
            }
            Pod pod = new Pod(ObjectMeta.of(parts[0], parts[1]).withUid(q.get("uid")), null, null);
            Integer tail = q.containsKey("tailLines") ? Integer.valueOf(q.get("tailLines")) : null;
            InputStream in;
            try {
                in = agent.openLog(pod, parts[2], "true".equals(q.get("previous")), "true".equals(q.get("follow")),
                        tail);
            } catch (StoreException e) {
                reply(ex, e.httpStatus(), e.getMessage());
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            try (in; OutputStream out = ex.getResponseBody()) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                LOG.debug("log stream of {}/{} ended: {}", parts[0], parts[1], e.toString());
            }
        } catch (NumberFormatException e) {
            reply(ex, 400, "tailLines must be a number");
        }
    }

    private static void reply(HttpExchange ex, int status, String message) throws IOException {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
