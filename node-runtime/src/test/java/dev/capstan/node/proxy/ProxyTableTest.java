package dev.capstan.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy with real sockets: virtual addresses in 127.77.200.0/24, backends on 127.0.0.1. */
class ProxyTableTest {
    private static final String SVC = "demo/web";
    private final List<AutoCloseable> closing = new ArrayList<>();
    private ProxyTable table;
    private String vip;
    private int port;
    private static int nextIp = 10;

    @BeforeEach
    void setUp() throws IOException {
        table = ProxyTable.create(2, Duration.ofSeconds(2));
        vip = "127.77.200." + nextIp++;
        port = Backend.freePort(vip);
    }

    @AfterEach
    void tearDown() throws Exception {
        table.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private Backend backend(String name) throws IOException {
        Backend b = new Backend(name);
        closing.add(b);
        return b;
    }

    private void serve(InetSocketAddress... endpoints) {
        table.apply(List.of(new Proxier.Target(SVC, vip, port, List.of(endpoints))));
    }

    /** A client connection through the proxy. */
    private final class Conn extends Client {
        Conn() throws IOException {
            super(vip, port);
        }
    }

    @Test
    void forwardsBytesBothWaysAndCounts() throws Exception {
        Backend a = backend("a");
        serve(a.address());
        assertThat(table.listening()).containsEntry(vip + ":" + port, SVC);
        try (Conn c = new Conn()) {
            assertThat(c.greeting).isEqualTo("a");
            assertThat(c.echo("ping")).isEqualTo("ping");
        }
        assertThat(table.counters(SVC).orElseThrow().connections()).isEqualTo(1);
        assertThat(table.transport()).isIn("epoll", "nio");
    }

    @Test
    void spreadsConnectionsRoundRobin() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        serve(a.address(), b.address());
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try (Conn c = new Conn()) {
                seen.add(c.greeting);
            }
        }
        assertThat(seen).containsExactly("a", "b", "a", "b", "a", "b");
    }

    @Test
    void leastConnectionsSendsNewConnectionsToTheEndpointWithFewestOpen() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        table.apply(List.of(new Proxier.Target(SVC, vip, port, List.of(a.address(), b.address()),
                Balance.LEAST_CONNECTIONS)));
        List<Conn> held = new ArrayList<>();
        try {
            Conn first = new Conn(); // round-robin tie: a
            held.add(first);
            assertThat(first.greeting).isEqualTo("a");
            // a has one open connection: the next three alternate between b and whichever has fewer
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Conn c = new Conn();
                held.add(c);
                seen.add(c.greeting);
            }
            assertThat(seen).containsExactly("b", "a", "b");
            held.remove(0).close(); // a: 1 open, b: 2 open
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Conn probe = new Conn()) {
                    return probe.greeting.equals("a");
                }
            });
        } finally {
            for (Conn c : held) {
                c.close();
            }
        }
    }

    @Test
    void drainsConnectionsToARemovedEndpointAfterTheTimeout() throws Exception {
        table.drainTimeout(Duration.ofMillis(300));
        Backend a = backend("a");
        Backend b = backend("b");
        serve(a.address());
        try (Conn c = new Conn()) {
            assertThat(c.greeting).isEqualTo("a");
            serve(b.address());
            assertThat(c.echo("still")).as("a removed endpoint's connection keeps working at first")
                    .isEqualTo("still");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.in.read() == -1);
        }
        assertThat(table.counters(SVC).orElseThrow().drained()).isEqualTo(1);
        try (Conn c = new Conn()) {
            assertThat(c.greeting).isEqualTo("b");
        }
    }

    @Test
    void failsOverWhenAnEndpointRefusesConnections() throws Exception {
        Backend alive = backend("alive");
        serve(Backend.deadAddress(), alive.address());
        for (int i = 0; i < 4; i++) {
            try (Conn c = new Conn()) {
                assertThat(c.greeting).isEqualTo("alive");
                assertThat(c.echo("x" + i)).isEqualTo("x" + i);
            }
        }
        ServiceCounters.Snapshot s = table.counters(SVC).orElseThrow();
        assertThat(s.failures()).isEqualTo(2); // every other connection tried the dead endpoint first
        assertThat(s.dropped()).isZero();
    }

    @Test
    void withoutEndpointsTheClientConnectionIsClosed() throws Exception {
        serve();
        try (Socket s = new Socket(vip, port)) {
            s.setSoTimeout(10_000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> table.counters(SVC).orElseThrow().dropped() == 1);
    }

    @Test
    void anEstablishedConnectionSurvivesItsEndpointsRemoval() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        serve(a.address());
        try (Conn old = new Conn()) {
            assertThat(old.greeting).isEqualTo("a");
            serve(b.address());
            try (Conn fresh = new Conn()) {
                assertThat(fresh.greeting).isEqualTo("b");
            }
            assertThat(old.echo("still here")).isEqualTo("still here");
        }
    }

    @Test
    void aServicePortThatGoesAwayIsUnboundButItsConnectionsDrain() throws Exception {
        Backend a = backend("a");
        serve(a.address());
        try (Conn old = new Conn()) {
            table.apply(List.of());
            assertThat(table.listening()).isEmpty();
            assertThat(old.echo("draining")).isEqualTo("draining");
        }
    }

    @Test
    void aSlowReaderDoesNotMakeTheProxyBufferWithoutBound() throws Exception {
        long total = 256L << 20;
        AtomicLong written = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ServerSocket firehose = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closing.add(firehose);
        Thread writer = new Thread(() -> {
            try (Socket s = firehose.accept(); OutputStream out = s.getOutputStream()) {
                byte[] chunk = new byte[64 * 1024];
                while (written.get() < total) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                failure.set(e);
            }
        }, "firehose");
        writer.setDaemon(true);
        writer.start();
        serve(new InetSocketAddress("127.0.0.1", firehose.getLocalPort()));

        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(64 * 1024);
            client.connect(new InetSocketAddress(vip, port));
            // The client reads nothing: the writer must block once the socket buffers and the proxy's
            // water marks are full, far short of everything it wants to send.
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long now = written.get();
                boolean stalled = now == last[0] && now > 0;
                last[0] = now;
                return stalled;
            });
            assertThat(written.get()).as("bytes the backend got rid of while nobody read").isLessThan(64L << 20);

            InputStream in = client.getInputStream();
            byte[] buf = new byte[256 * 1024];
            long read = 0;
            while (read < total) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                read += n;
            }
            assertThat(read).isEqualTo(total);
        }
        writer.join(10_000);
        assertThat(failure.get()).isNull();
    }
}
