package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.cli.up.UpOptions;
import dev.capstan.engine.scheduler.ScoringStrategy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code capstan up --scheduling-strategy least-allocated|most-allocated}. */
class UpSchedulingStrategyTest {
    @TempDir
    Path tmp;

    @Test
    void parsesBothStrategiesAndTheirKubernetesNames() {
        assertThat(UpCommand.scoringStrategy("least-allocated")).isEqualTo(ScoringStrategy.LEAST_ALLOCATED);
        assertThat(UpCommand.scoringStrategy("most-allocated")).isEqualTo(ScoringStrategy.MOST_ALLOCATED);
        assertThat(UpCommand.scoringStrategy("MostAllocated")).isEqualTo(ScoringStrategy.MOST_ALLOCATED);
        assertThat(UpCommand.scoringStrategy("binpack")).isEqualTo(ScoringStrategy.MOST_ALLOCATED);
    }

    @Test
    void anUnknownStrategyIsAUsageError() {
        assertThatThrownBy(() -> UpCommand.scoringStrategy("random")).isInstanceOf(UserError.class)
                .hasMessage("--scheduling-strategy: unknown strategy 'random' (use least-allocated or most-allocated)")
                .satisfies(e -> assertThat(((UserError) e).exitCode()).isEqualTo(2));
    }

    @Test
    void theOptionDefaultsToSpreadAndSurvivesTheOtherSettings() {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs("--scheduling-strategy", "most-allocated", ".");
        assertThat(up.schedulingStrategy).isEqualTo("most-allocated");
        UpCommand plain = new UpCommand();
        new CommandLine(plain).parseArgs(".");
        assertThat(UpCommand.scoringStrategy(plain.schedulingStrategy)).isEqualTo(ScoringStrategy.LEAST_ALLOCATED);

        UpOptions o = new UpOptions(tmp, 1, "process", null, Duration.ofSeconds(5), "127.0.0.1", 0, tmp, tmp, 20000,
                "c", Duration.ofSeconds(10));
        assertThat(o.scoringStrategy()).isEqualTo(ScoringStrategy.LEAST_ALLOCATED);
        UpOptions packed = o.withScoringStrategy(ScoringStrategy.MOST_ALLOCATED).withWebhookSecret("s");
        assertThat(packed.scoringStrategy()).isEqualTo(ScoringStrategy.MOST_ALLOCATED);
        assertThat(packed.toString()).contains("scheduling=MOST_ALLOCATED");
    }
}
