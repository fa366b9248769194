package dev.capstan.engine.controller;

import java.time.Duration;

/**
 * How a {@link ControllerRunner} runs a controller.
 *
 * @param workers        threads reconciling different keys in parallel (default 2)
 * @param resyncPeriod   every key is enqueued again this often (default 30 s)
 * @param retryBaseDelay back-off after the first failure of a key, doubled per further failure (default 50 ms)
 * @param retryMaxDelay  cap of the back-off (default 30 s)
 */
public record RunnerConfig(int workers, Duration resyncPeriod, Duration retryBaseDelay, Duration retryMaxDelay) {

    public RunnerConfig {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (resyncPeriod.isNegative() || resyncPeriod.isZero()) {
            throw new IllegalArgumentException("resyncPeriod must be positive");
        }
        if (retryBaseDelay.isNegative() || retryMaxDelay.compareTo(retryBaseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= retryBaseDelay <= retryMaxDelay");
        }
    }

    public static RunnerConfig defaults() {
        return new RunnerConfig(2, Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(30));
    }

    public RunnerConfig withWorkers(int w) {
        return new RunnerConfig(w, resyncPeriod, retryBaseDelay, retryMaxDelay);
    }

    public RunnerConfig withResyncPeriod(Duration d) {
        return new RunnerConfig(workers, d, retryBaseDelay, retryMaxDelay);
    }

    public RunnerConfig withRetry(Duration base, Duration max) {
        return new RunnerConfig(workers, resyncPeriod, base, max);
    }
}
