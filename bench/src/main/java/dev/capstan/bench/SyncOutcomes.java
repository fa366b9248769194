package dev.capstan.bench;

import dev.capstan.gitsync.SyncOutcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Every commit git-sync handled, with the {@link System#nanoTime()} at which it said so. Thread-safe. */
final class SyncOutcomes {
    /** One handled commit. */
    record Handled(SyncOutcome outcome, long nanos) {
    }

    private final Map<String, Handled> bySha = new HashMap<>();

    /** The listener given to {@code AllInOne.onSync}. */
    synchronized void add(SyncOutcome outcome) {
        bySha.put(outcome.commit().sha(), new Handled(outcome, System.nanoTime()));
        notifyAll();
    }

    /** Waits until the commit is handled; fails when it is not within {@code timeout}, or was rejected. */
    synchronized Handled awaitApplied(String sha, Duration timeout) throws BenchmarkFailure, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!bySha.containsKey(sha)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new BenchmarkFailure("git-sync did not handle commit " + sha.substring(0, 7) + " within "
                        + timeout.toSeconds() + " s");
            }
            wait(Math.max(1, left / 1_000_000));
        }
        Handled h = bySha.get(sha);
        if (h.outcome().result() != SyncOutcome.Result.APPLIED) {
            throw new BenchmarkFailure("commit " + sha.substring(0, 7) + " was rejected:\n" + h.outcome().rendered());
        }
        return h;
    }
}
