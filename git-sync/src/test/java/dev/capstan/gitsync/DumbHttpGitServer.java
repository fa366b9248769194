package dev.capstan.gitsync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A Git host on loopback speaking Git's "dumb" HTTP protocol (static files: {@code info/refs}, {@code HEAD},
 * objects and packs) over one bare repository, with HTTP Basic authentication: a real HTTP Git server for tests
 * (JGit's servlet-based smart server does not resolve here). {@link #publish()} writes what
 * {@code git update-server-info} writes.
 */
final class DumbHttpGitServer implements AutoCloseable {
    private final HttpServer http;
    private final Path bare;
    private final AtomicInteger refused = new AtomicInteger();

    DumbHttpGitServer(Path bare, String user, String password) throws IOException {
        this.bare = bare;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        http.createContext("/shop.git/", ex -> serve(ex, expected));
        http.start();
    }

    /** {@code http://127.0.0.1:PORT/shop.git}. */
    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/shop.git";
    }

    int refused() {
        return refused.get();
    }

    /** Writes {@code info/refs} and {@code objects/info/packs} for the repository as it is now. */
    void publish() throws IOException {
        StringBuilder refs = new StringBuilder();
        try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
            for (Ref r : repo.getRefDatabase().getRefsByPrefix("refs/")) {
                refs.append(r.getObjectId().name()).append('\t').append(r.getName()).append('\n');
            }
        }
        Files.createDirectories(bare.resolve("info"));
        Files.writeString(bare.resolve("info/refs"), refs.toString());
        StringBuilder packs = new StringBuilder();
        Path packDir = bare.resolve("objects/pack");
        if (Files.isDirectory(packDir)) {
            try (Stream<Path> s = Files.list(packDir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pack")).sorted()
                        .forEach(n -> packs.append("P ").append(n).append('\n'));
            }
        }
        Files.createDirectories(bare.resolve("objects/info"));
        Files.writeString(bare.resolve("objects/info/packs"), packs.append('\n').toString());
    }

    private void serve(HttpExchange ex, String expected) throws IOException {
        try (ex) {
            if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            String rel = ex.getRequestURI().getPath().substring("/shop.git/".length());
            Path f = bare.resolve(rel).normalize();
            if (!f.startsWith(bare) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(f);
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
