package dev.capstan.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nftables proxy in this host's kernel: a table of its own (deleted after each test) rewriting a virtual
 * address in 127.78.0.0/16 (outside {@code capstan up}'s range) to backends on 127.0.0.1. Skipped, saying why,
 * without root or the nft command.
 */
class NftablesProxierTest {
    private static final String SVC = "demo/web";
    private final List<AutoCloseable> closing = new ArrayList<>();
    private NftablesProxier proxier;
    private String table;
    private String vip;
    private final int port = 80;

    @BeforeEach
    void setUp() {
        table = "capstan_test_" + ProcessHandle.current().pid() + "_" + ThreadLocalRandom.current().nextInt(1_000_000);
        vip = "127.78." + ThreadLocalRandom.current().nextInt(1, 255) + "." + ThreadLocalRandom.current().nextInt(1, 255);
        try {
            proxier = NftablesProxier.start(table);
        } catch (IllegalStateException e) {
            Assumptions.abort("nftables proxy tests skipped: " + e.getMessage());
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (proxier != null) {
            proxier.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private Backend backend(String name) throws IOException {
        Backend b = new Backend(name);
        closing.add(b);
        return b;
    }

    private void serve(Backend... backends) {
        proxier.apply(List.of(new Proxier.Target(SVC, vip, port,
                java.util.Arrays.stream(backends).map(Backend::address).toList())));
    }

    @Test
    void connectionsGoRoundRobinAndAreCounted() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        serve(a, b);
        assertThat(proxier.listening()).containsEntry(vip + ":" + port, SVC);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (Client c = new Client(vip, port)) {
                seen.add(c.greeting);
                assertThat(c.echo("ping " + i)).isEqualTo("ping " + i);
            }
        }
        assertThat(seen).containsOnly("a", "b").contains("a", "b");
        assertThat(seen.get(0)).isNotEqualTo(seen.get(1));
        assertThat(proxier.counters(SVC).orElseThrow().connections()).isEqualTo(4);
        serve(b); // the counters survive the chain being rewritten
        try (Client c = new Client(vip, port)) {
            assertThat(c.greeting).isEqualTo("b");
        }
        assertThat(proxier.counters(SVC).orElseThrow().connections()).isEqualTo(5);
    }

    @Test
    void anEstablishedConnectionOutlivesItsEndpointsRemoval() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        serve(a);
        try (Client old = new Client(vip, port)) {
            assertThat(old.greeting).isEqualTo("a");
            serve(b);
            try (Client fresh = new Client(vip, port)) {
                assertThat(fresh.greeting).isEqualTo("b");
            }
            assertThat(old.echo("still here")).isEqualTo("still here");
        }
        proxier.close();
        assertThatThrownBy(() -> new Client(vip, port)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> Nft.system().run(List.of("list", "table", "ip", table), null))
                .isInstanceOf(Nft.NftException.class);
    }

    @Test
    void withoutEndpointsTheConnectionIsRefusedAndCountedAsDropped() throws Exception {
        serve();
        assertThatThrownBy(() -> new Client(vip, port)).isInstanceOf(ConnectException.class);
        assertThat(proxier.counters(SVC).orElseThrow().dropped()).isEqualTo(1);
        Backend a = backend("a");
        serve(a);
        try (Client c = new Client(vip, port)) {
            assertThat(c.greeting).isEqualTo("a");
        }
    }
}
