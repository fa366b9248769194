package dev.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.engine.scheduler.ScoringStrategy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code capstan simulate} end to end: real store, controllers and scheduler, simulated nodes. */
class SimulateCommandTest {

    private static String run(Simulation s, int[] pending) throws InterruptedException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        pending[0] = s.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void placesEveryPodOfTheGeneratedWorkload() throws InterruptedException {
        int[] pending = new int[1];
        String out = run(new Simulation(6, 30, 2, ScoringStrategy.LEAST_ALLOCATED, 7, Duration.ofSeconds(60)), pending);

        assertThat(pending[0]).isZero();
        assertThat(out).contains("simulated 6 nodes in 2 zones, 30 pods (LeastAllocated): 30 scheduled, 0 pending");
        assertThat(out).containsPattern("zone-a +[0-9]+").containsPattern("zone-b +[0-9]+");
        assertThat(out).doesNotContain("pending:");
    }

    @Test
    void reportsWhyPodsFoundNoNode() throws InterruptedException {
        int[] pending = new int[1];
        String out = run(new Simulation(0, 5, 1, ScoringStrategy.MOST_ALLOCATED, 7, Duration.ofSeconds(60)), pending);

        assertThat(pending[0]).isEqualTo(5);
        assertThat(out).contains("5 pods (MostAllocated): 0 scheduled, 5 pending",
                "  5 pod(s): 0/0 nodes are available: no nodes registered.");
    }
}
