package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code capstan up --dns-upstream IP[:PORT],...|none}: read as given, refused with one clear line when bad. */
class UpDnsUpstreamTest {
    @Test
    void theOptionIsKeptAsGivenAndAbsentMeansTheHostsResolvers() {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs("--dns-upstream", "10.0.0.2,10.0.0.3:5353", ".");
        assertThat(up.dnsUpstream).isEqualTo("10.0.0.2,10.0.0.3:5353");
        UpCommand plain = new UpCommand();
        new CommandLine(plain).parseArgs(".");
        assertThat(plain.dnsUpstream).isNull();
    }

    @Test
    void aBadUpstreamIsAUsageError() {
        CliRun host = CliRun.of("up", "--dns-upstream", "dns.example.com", ".");
        assertThat(host.exitCode()).isEqualTo(2);
        assertThat(host.err()).contains("--dns-upstream: 'dns.example.com' is not an IP address")
                .contains("or none").doesNotContain("at dev.");

        CliRun port = CliRun.of("up", "--dns-upstream", "10.0.0.2:99999", ".");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("'10.0.0.2:99999': the port must be 1-65535");

        CliRun empty = CliRun.of("up", "--dns-upstream", "10.0.0.2,", ".");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("an empty entry");
    }
}
