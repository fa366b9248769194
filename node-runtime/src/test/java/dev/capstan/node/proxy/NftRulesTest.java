package dev.capstan.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The nftables proxy's rules as text, and how {@link NftablesProxier} drives {@code nft} (a recording fake). */
class NftRulesTest {
    private static InetSocketAddress ep(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void oneRulePerAddressRoundRobinOverSeveralEndpoints() {
        List<String> skipped = new ArrayList<>();
        NftRules.Ruleset r = NftRules.apply("capstan", List.of(
                new Proxier.Target("demo/web", "127.77.0.2", 80, List.of(ep(41000), ep(42000))),
                new Proxier.Target("demo/api", "127.77.0.1", 8080, List.of(ep(43000))),
                new Proxier.Target("demo/other", "127.77.0.1", 8080, List.of(ep(44000))),
                new Proxier.Target("demo/empty", "127.77.0.3", 80, List.of())), List.of(), skipped);
        String web = NftRules.counterNames("demo/web").forwarded();
        assertThat(r.script()).startsWith("flush chain ip capstan services\nflush chain ip capstan refuse\n")
                .contains("add rule ip capstan services ip daddr 127.77.0.2 tcp dport 80 counter name \"" + web
                        + "\" dnat ip to numgen inc mod 2 map { 0 : 127.0.0.1 . 41000, 1 : 127.0.0.1 . 42000 } "
                        + "comment \"demo/web\"\n")
                .contains("ip daddr 127.77.0.1 tcp dport 8080 counter name \""
                        + NftRules.counterNames("demo/api").forwarded() + "\" dnat ip to 127.0.0.1 : 43000")
                .doesNotContain("44000")
                .contains("add rule ip capstan refuse ip daddr 127.77.0.3 tcp dport 80 counter name \""
                        + NftRules.counterNames("demo/empty").refused() + "\" reject with tcp reset comment")
                .doesNotContain("delete");
        assertThat(r.script().indexOf("127.77.0.1")).isLessThan(r.script().indexOf("127.77.0.2")); // stable order
        assertThat(r.served()).containsEntry("127.77.0.1:8080", "demo/api").hasSize(3);
        assertThat(r.counters()).containsOnlyKeys("demo/web", "demo/api", "demo/empty");
        assertThat(skipped).isEmpty();
    }

    @Test
    void countersOfServicesNoLongerServedAreDeletedAndIpv6IsSkipped() {
        List<String> skipped = new ArrayList<>();
        NftRules.Ruleset r = NftRules.apply("t", List.of(
                new Proxier.Target("demo/v6", "fd00::1", 80, List.of(ep(1))),
                new Proxier.Target("demo/web", "127.77.0.2", 80, List.of(ep(2)))), Set.of("demo/web", "demo/gone"),
                skipped);
        NftRules.Counters gone = NftRules.counterNames("demo/gone");
        assertThat(r.script()).contains("delete counter ip t " + gone.forwarded() + "\n",
                "delete counter ip t " + gone.refused() + "\n").doesNotContain("fd00");
        assertThat(skipped).containsExactly("demo/v6 fd00::1:80");
    }

    @Test
    void counterNamesAreValidAndDifferForKeysThatReadAlike() {
        NftRules.Counters a = NftRules.counterNames("a-b/c");
        NftRules.Counters b = NftRules.counterNames("a.b/c");
        assertThat(a.forwarded()).matches("c_a_b_c_[0-9a-f]{8}").isNotEqualTo(b.forwarded());
        assertThat(NftRules.counterNames("x".repeat(300) + "/y").forwarded().length()).isLessThan(80);
    }

    /** Records scripts; fails when told to. */
    private static final class FakeNft implements Nft {
        final List<String> scripts = new ArrayList<>();
        String failWith;
        String counters = "{\"nftables\": []}";

        @Override
        public String run(List<String> args, String script) {
            if (failWith != null) {
                throw new NftException(failWith);
            }
            if (script != null) {
                scripts.add(script);
                return "";
            }
            return counters;
        }
    }

    @Test
    void theProxierWritesOnlyChangesKeepsTheLastGoodRulesAndReadsCounters() {
        FakeNft nft = new FakeNft();
        NftablesProxier p = NftablesProxier.start(nft, "capstan_t");
        assertThat(nft.scripts).hasSize(1);
        assertThat(nft.scripts.get(0)).contains("delete table ip capstan_t", "type nat hook output");
        List<Proxier.Target> one = List.of(new Proxier.Target("demo/web", "127.77.0.2", 80, List.of(ep(2))));
        p.apply(one);
        p.apply(one);
        assertThat(nft.scripts).hasSize(2);

        nft.failWith = "Error: Could not process rule: Operation not permitted\nmore";
        p.apply(List.of());
        assertThat(p.listening()).containsOnlyKeys("127.77.0.2:80"); // the previous rules stay
        nft.failWith = null;

        NftRules.Counters c = NftRules.counterNames("demo/web");
        nft.counters = "{\"nftables\": [{\"metainfo\": {}}, {\"counter\": {\"name\": \"" + c.forwarded()
                + "\", \"packets\": 7}}, {\"counter\": {\"name\": \"" + c.refused() + "\", \"packets\": 2}}]}";
        ServiceCounters.Snapshot s = p.counters("demo/web").orElseThrow();
        assertThat(s.connections()).isEqualTo(9);
        assertThat(s.dropped()).isEqualTo(2);
        assertThat(s.active()).isEqualTo(-1);

        p.apply(List.of());
        assertThat(nft.scripts.get(nft.scripts.size() - 1)).contains("delete counter ip capstan_t " + c.forwarded());
        assertThat(p.listening()).isEmpty();
        p.close();
        assertThat(nft.scripts.get(nft.scripts.size() - 1)).contains("delete table ip capstan_t");
        p.apply(one);
        assertThat(nft.scripts.get(nft.scripts.size() - 1)).contains("delete table"); // nothing after close
    }

    @Test
    void startingWithoutPermissionSaysWhatIsNeeded() {
        FakeNft nft = new FakeNft();
        nft.failWith = "Error: Could not process rule: Operation not permitted";
        assertThatThrownBy(() -> NftablesProxier.start(nft, "capstan"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apt-get install nftables").hasMessageContaining("root")
                .hasMessageContaining("Operation not permitted");
        assertThatThrownBy(() -> NftablesProxier.start(new FakeNft(), "bad name"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
