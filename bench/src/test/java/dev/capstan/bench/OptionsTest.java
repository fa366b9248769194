package dev.capstan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
    private static final List<Benchmark.Option> DECLARED = List.of(
            new Benchmark.Option("commits", "50", "how many"),
            new Benchmark.Option("gap", "200ms", "pause"),
            new Benchmark.Option("runtime", "process", "which"));

    @Test
    void defaultsApplyWhereNothingIsGiven() throws Exception {
        Options o = Options.parse(DECLARED, List.of());

        assertThat(o.integer("commits", 1, 100)).isEqualTo(50);
        assertThat(o.duration("gap")).isEqualTo(Duration.ofMillis(200));
        assertThat(o.describe()).isEqualTo("commits=50 gap=200ms runtime=process");
    }

    @Test
    void givenValuesReplaceDefaultsInBothSpellings() throws Exception {
        Options o = Options.parse(DECLARED, List.of("--commits", "7", "--gap=2s"));

        assertThat(o.integer("commits", 1, 100)).isEqualTo(7);
        assertThat(o.duration("gap")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void rejectsUnknownOptionsNamingTheKnownOnes() {
        assertThatThrownBy(() -> Options.parse(DECLARED, List.of("--comits", "7")))
                .isInstanceOf(UsageError.class)
                .hasMessage("unknown option --comits; the options are --commits, --gap, --runtime");
    }

    @Test
    void rejectsAMissingValueARepeatedOptionAndABareWord() {
        assertThatThrownBy(() -> Options.parse(DECLARED, List.of("--commits")))
                .hasMessage("--commits needs a value");
        assertThatThrownBy(() -> Options.parse(DECLARED, List.of("--commits", "1", "--commits", "2")))
                .hasMessage("--commits is given twice");
        assertThatThrownBy(() -> Options.parse(DECLARED, List.of("commits")))
                .hasMessage("expected an option (--key value), found 'commits'");
    }

    @Test
    void typedGettersNameTheOptionOnABadValue() throws Exception {
        Options o = Options.parse(DECLARED, List.of("--commits", "0", "--gap", "soon", "--runtime", "docker"));

        assertThatThrownBy(() -> o.integer("commits", 1, 100)).hasMessage("--commits must be between 1 and 100, got 0");
        assertThatThrownBy(() -> o.duration("gap")).hasMessageStartingWith("--gap must be a duration");
        assertThatThrownBy(() -> o.choice("runtime", List.of("process", "containerd")))
                .hasMessage("--runtime must be one of process, containerd, got 'docker'");
    }
}
