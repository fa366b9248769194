package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.cli.up.UpOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code capstan up --node-port-range FIRST-LAST}. */
class UpNodePortRangeTest {

    @Test
    void defaultsToKubernetesRange() {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs(".");
        assertThat(up.nodePortRange.text).isEqualTo("30000-32767");
        assertThat(UpOptions.ServiceOptions.DEFAULTS.nodePorts()).isEqualTo("30000-32767");
        assertThat(new UpOptions.ServiceOptions(null, "cluster.local", "round-robin", "40000-40099", null).nodePorts())
                .isEqualTo("40000-40099");
    }

    @Test
    void aBadRangeIsAUsageErrorBeforeAnythingStarts() {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs("--node-port-range", "32767-30000", ".");
        assertThatThrownBy(up::call).isInstanceOf(UserError.class)
                .hasMessage("--node-port-range: a node port range is FIRST-LAST within 1-65535, e.g. 30000-32767, "
                        + "not 32767-30000")
                .satisfies(e -> assertThat(((UserError) e).exitCode()).isEqualTo(2));
    }
}
