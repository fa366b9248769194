package dev.capstan.engine.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.engine.store.AlreadyExistsException;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.NotFoundException;
import dev.capstan.engine.store.StoreException;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchListener;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@link ApiClient} over HTTP/1.1 ({@link HttpClient}) with a bearer token, speaking the API server's
 * Kubernetes URLs. Refusals come back as the {@link StoreException} the server's Status names; a server
 * that cannot be reached is an {@link ApiUnavailableException}. Thread-safe; close it to stop its watches.
 */
public final class HttpApiClient implements ApiClient {

    static final String TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

    private final URI server;
    private final String token;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final List<ClientWatch<?>> watches = new ArrayList<>();
    private volatile boolean closed;
    private volatile Duration watchIdleTimeout = Duration.ofSeconds(150);
    private java.util.concurrent.ScheduledExecutorService scheduler;

    /** A client of {@code server} ({@code http://} or {@code https://} trusted by the JDK's defaults). */
    public HttpApiClient(URI server, String token) {
        this(server, token, null);
    }

    /** A client that trusts exactly {@code certificateAuthorityPem} for {@code https://} (null: JDK defaults). */
    public HttpApiClient(URI server, String token, String certificateAuthorityPem) {
        this.server = URI.create(server.toString().replaceAll("/+$", ""));
        this.token = token;
        this.requestTimeout = Duration.ofSeconds(30);
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (certificateAuthorityPem != null) {
            b.sslContext(trusting(certificateAuthorityPem));
        }
        this.http = b.build();
    }

    /** The server, token and certificate authority of a kubeconfig's current context. */
    public static HttpApiClient fromKubeconfig(Path kubeconfig) throws IOException {
        Kubeconfig k = Kubeconfig.read(kubeconfig);
        return new HttpApiClient(k.server(), k.token(), k.certificateAuthorityPem());
    }

    public URI server() {
        return server;
    }

    @Override
    public <T extends KubeObject> List<T> list(Kind<T> kind, String namespace, String fieldSelector) {
        return listWithVersion(kind, namespace, null, fieldSelector).items();
    }

    /** A list and the resourceVersion it was read at, to {@link #watch(Kind, String, String, String, WatchListener)} from. */
    public record Listing<T extends KubeObject>(List<T> items, String resourceVersion) {
    }

    /** Lists with label and field selectors (either may be null) and returns the list's resourceVersion. */
    public <T extends KubeObject> Listing<T> listWithVersion(Kind<T> kind, String namespace, String labelSelector,
                                                              String fieldSelector) {
        JsonNode list = json(send(request(collection(kind, namespace)
                + query("labelSelector", labelSelector, "fieldSelector", fieldSelector)).GET(), 200));
        List<T> items = new ArrayList<>();
        for (JsonNode item : list.path("items")) {
            items.add(decode(kind, item));
        }
        return new Listing<>(items, list.path("metadata").path("resourceVersion").asText(""));
    }

    /** The server-side table kubectl would print (meta.k8s.io/v1 Table), for {@code capstan get}. */
    public JsonNode table(Kind<?> kind, String namespace, String labelSelector) {
        return json(send(request(collection(kind, namespace) + query("labelSelector", labelSelector))
                .setHeader("Accept", TABLE_ACCEPT).GET(), 200));
    }

    @Override
    public <T extends KubeObject> Optional<T> get(Kind<T> kind, String namespace, String name) {
        try {
            return Optional.of(decode(kind, json(send(request(item(kind, namespace, name)).GET(), 200))));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public <T extends KubeObject> T create(T object) {
        Kind<T> kind = Kinds.of(object);
        return decode(kind, json(send(request(collection(kind, object.metadata().namespace()))
                .POST(body(object)).header("Content-Type", "application/json"), 201)));
    }

    @Override
    public <T extends KubeObject> T update(T object) {
        Kind<T> kind = Kinds.of(object);
        return decode(kind, json(send(request(item(kind, object.metadata().namespace(), object.metadata().name()))
                .PUT(body(object)).header("Content-Type", "application/json"), 200)));
    }

    @Override
    public <T extends KubeObject> T updateStatus(T object) {
        Kind<T> kind = Kinds.of(object);
        return decode(kind, json(send(request(item(kind, object.metadata().namespace(), object.metadata().name())
                + "/status").PUT(body(object)).header("Content-Type", "application/json"), 200)));
    }

    @Override
    public <T extends KubeObject> boolean delete(Kind<T> kind, String namespace, String name) {
        try {
            send(request(item(kind, namespace, name)).DELETE(), 200);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Watches from now on: reads the current resourceVersion, then streams changes after it. */
    @Override
    public <T extends KubeObject> Watch watch(Kind<T> kind, String namespace, String fieldSelector,
                                              WatchListener<T> listener) {
        return watch(kind, namespace, fieldSelector, null, listener);
    }

    /**
     * Watches changes after {@code resourceVersion} (from {@link #listWithVersion}), so nothing between a
     * list and its watch is lost; null means from now on. Reconnects with back-off until closed.
     */
    public synchronized <T extends KubeObject> Watch watch(Kind<T> kind, String namespace, String fieldSelector,
                                                           String resourceVersion, WatchListener<T> listener) {
        if (closed) {
            throw new IllegalStateException("the API client is closed");
        }
        ClientWatch<T> w = new ClientWatch<>(this, kind, namespace, fieldSelector, listener);
        w.start(resourceVersion);
        watches.add(w);
        return w;
    }

    synchronized void forget(ClientWatch<?> w) {
        watches.remove(w);
    }

    /**
     * A watch that hears nothing for this long (the server sends a bookmark every minute) is taken for
     * dead and reconnected; default 150 s.
     */
    public HttpApiClient watchIdleTimeout(Duration timeout) {
        this.watchIdleTimeout = timeout;
        return this;
    }

    Duration watchIdleTimeout() {
        return watchIdleTimeout;
    }

    synchronized java.util.concurrent.ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "capstan-watch-watchdog");
                t.setDaemon(true);
                return t;
            });
        }
        return scheduler;
    }

    /**
     * Streams a container's log ({@code GET …/pods/NAME/log}) as the program wrote it; the caller reads
     * and closes the stream. {@code container} may be null for a pod with one container.
     */
    public InputStream logs(String namespace, String pod, String container, boolean follow, boolean previous,
                            Integer tailLines) {
        String path = item(dev.capstan.model.Kinds.POD, namespace, pod) + "/log" + query("container", container,
                "follow", follow ? "true" : null, "previous", previous ? "true" : null,
                "tailLines", tailLines == null ? null : tailLines.toString());
        HttpRequest req = request(path).GET().build();
        HttpResponse<InputStream> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unavailable(req.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiUnavailableException("interrupted while calling GET " + req.uri(), e);
        }
        if (r.statusCode() / 100 == 2) {
            return r.body();
        }
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            body = new byte[0];
        }
        throw refusal(req, r.statusCode(), body);
    }

    @Override
    public void close() {
        List<ClientWatch<?>> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(watches);
            watches.clear();
        }
        open.forEach(ClientWatch::close);
        synchronized (this) {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
    }

    // ---- HTTP plumbing, shared with ClientWatch ----

    static String collection(Kind<?> kind, String namespace) {
        StringBuilder p = new StringBuilder(kind.apiPrefix());
        if (kind.namespaced() && namespace != null && !namespace.isEmpty()) {
            p.append("/namespaces/").append(enc(namespace));
        }
        return p.append('/').append(kind.plural()).toString();
    }

    static String item(Kind<?> kind, String namespace, String name) {
        if (kind.namespaced() && (namespace == null || namespace.isEmpty())) {
            throw new IllegalArgumentException(kind.kind() + " " + name + " needs a namespace");
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(kind.kind() + " needs a name");
        }
        return collection(kind, namespace) + "/" + enc(name);
    }

    /** {@code ?k=v&…} of the non-empty pairs. */
    static String query(String... pairs) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null && !pairs[i + 1].isEmpty()) {
                q.append(q.length() == 0 ? '?' : '&').append(pairs[i]).append('=').append(enc(pairs[i + 1]));
            }
        }
        return q.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(server + pathAndQuery))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("User-Agent", "capstan-client/0.1");
    }

    private byte[] send(HttpRequest.Builder b, int expected) {
        HttpRequest req = b.timeout(requestTimeout).build();
        HttpResponse<byte[]> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable(req.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiUnavailableException("interrupted while calling " + req.method() + " " + req.uri(), e);
        }
        if (r.statusCode() == expected || r.statusCode() / 100 == 2) {
            return r.body();
        }
        throw refusal(req, r.statusCode(), r.body());
    }

    /** Opens a streaming GET (a watch); the caller reads and closes the body. */
    HttpResponse<InputStream> stream(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    static ApiUnavailableException unavailable(URI uri, IOException e) {
        String why = e instanceof ConnectException ? "connection refused"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new ApiUnavailableException("cannot reach the Capstan API at " + uri.getScheme() + "://"
                + uri.getAuthority() + " (" + uri.getPath() + "): " + why, e);
    }

    /** The StoreException a non-2xx answer stands for, from its Status body when there is one. */
    static StoreException refusal(HttpRequest req, int code, byte[] body) {
        String reason = null;
        String message = null;
        try {
            JsonNode s = Json.MAPPER.readTree(body);
            if (s != null && "Status".equals(s.path("kind").asText())) {
                reason = s.path("reason").asText(null);
                message = s.path("message").asText(null);
            }
        } catch (IOException e) {
            // not JSON: fall back to the raw text below
        }
        if (message == null) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            message = req.method() + " " + req.uri().getPath() + " answered HTTP " + code
                    + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text));
        }
        if (code == 404) {
            return new NotFoundException(message);
        }
        if (code == 409) {
            return "AlreadyExists".equals(reason) ? new AlreadyExistsException(message) : new ConflictException(message);
        }
        return new StoreException(code, reason != null ? reason : "Unknown", message);
    }

    private static HttpRequest.BodyPublisher body(KubeObject o) {
        return HttpRequest.BodyPublishers.ofByteArray(Json.bytes(o));
    }

    private JsonNode json(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ApiUnavailableException("the Capstan API at " + server + " answered something that is not JSON", e);
        }
    }

    static <T extends KubeObject> T decode(Kind<T> kind, JsonNode node) {
        try {
            return Json.MAPPER.treeToValue(node, kind.type());
        } catch (IOException e) {
            throw new ApiUnavailableException("the API server sent a " + kind.kind() + " this client cannot read: "
                    + e.getMessage(), e);
        }
    }

    private static SSLContext trusting(String pem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                ks.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new IllegalArgumentException("the certificate authority PEM holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use the certificate authority: " + e.getMessage(), e);
        }
    }
}
