package dev.capstan.cli;

import dev.capstan.engine.scheduler.ScoringStrategy;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code capstan simulate}: schedules a generated workload onto simulated nodes with the real controllers
 * and scheduler, no runtimes, and reports the placement and every pending reason.
 */
@Command(name = "simulate", description = "Place a generated workload on simulated nodes with the real scheduler and controllers.")
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "50", description = "Simulated nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--pods", defaultValue = "500", description = "Pods in total (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(names = "--zones", defaultValue = "3", description = "Zones (default: ${DEFAULT-VALUE}).")
    int zones;

    @Option(names = "--strategy", defaultValue = "LeastAllocated",
            description = "LeastAllocated (spread) or MostAllocated (bin-pack) (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated cluster (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "120s", converter = Durations.class,
            description = "Give up waiting after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        if (nodes < 0 || pods < 0 || zones < 1) {
            throw new UserError("--nodes and --pods must not be negative and --zones must be at least 1", 2);
        }
        ScoringStrategy s;
        try {
            s = ScoringStrategy.parse(strategy);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), 2);
        }
        int pending = new Simulation(nodes, pods, zones, s, seed, timeout).run(System.out);
        return pending == 0 ? 0 : 1;
    }
}
