package dev.capstan.node.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code --dns-upstream} values and the host's resolv.conf. */
class DnsUpstreamsTest {
    @TempDir
    Path dir;

    @Test
    void parsesAddressesWithAndWithoutPorts() {
        assertThat(DnsUpstreams.parse("10.0.0.2, 10.0.0.3:5353,[::1]:5300,fd00::53")).containsExactly(
                new InetSocketAddress("10.0.0.2", 53), new InetSocketAddress("10.0.0.3", 5353),
                new InetSocketAddress("::1", 5300), new InetSocketAddress("fd00::53", 53));
        assertThat(DnsUpstreams.parse("none")).isEmpty();
    }

    @Test
    void refusesWhatIsNotAnAddressWithoutLookingItUp() {
        assertThatThrownBy(() -> DnsUpstreams.parse("resolver.invalid"))
                .hasMessage("'resolver.invalid' is not an IP address (host names are not resolved)");
        assertThatThrownBy(() -> DnsUpstreams.parse("300.1.1.1")).hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> DnsUpstreams.parse("10.0.0.2:0")).hasMessageContaining("the port must be 1-65535");
        assertThatThrownBy(() -> DnsUpstreams.parse("10.0.0.2:dns")).hasMessageContaining("the port must be");
        assertThatThrownBy(() -> DnsUpstreams.parse("[::1")).hasMessageContaining("is not [IPv6]:PORT");
        assertThatThrownBy(() -> DnsUpstreams.parse("")).hasMessageContaining("an empty entry");
    }

    @Test
    void readsTheNameserversOfResolvConfButNeverTheServerItself() throws Exception {
        Path conf = Files.writeString(dir.resolve("resolv.conf"), """
                # written by someone
                search example.org
                nameserver 127.0.77.53
                nameserver   10.255.255.53
                nameserver not-an-address
                options ndots:5
                nameserver 10.255.255.53
                nameserver ::1
                """);
        InetSocketAddress self = new InetSocketAddress("127.0.77.53", 53);
        assertThat(DnsUpstreams.fromResolvConf(conf, self)).containsExactly(
                new InetSocketAddress("10.255.255.53", 53), new InetSocketAddress("::1", 53));
        assertThat(DnsUpstreams.fromResolvConf(conf, new InetSocketAddress("127.0.77.53", 5353)))
                .as("the same address on another port is another server").hasSize(3);
        assertThat(DnsUpstreams.fromResolvConf(conf, new InetSocketAddress("0.0.0.0", 53)))
                .as("a server on every address is also each loopback one")
                .containsExactly(new InetSocketAddress("10.255.255.53", 53));
        assertThat(DnsUpstreams.fromResolvConf(dir.resolve("absent"), self)).isEmpty();
    }
}
