package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.scheduler.ScoringStrategy;
import java.time.Duration;

/**
 * Settings of the control plane's controllers and scheduler.
 *
 * @param workers                 worker threads per controller (default 2; the scheduler always has one)
 * @param resyncPeriod            every controller re-reads all its keys this often (default 30 s)
 * @param retryBaseDelay          back-off after a key's first failure, doubling (default 50 ms)
 * @param retryMaxDelay           back-off cap (default 30 s)
 * @param nodeMonitorGracePeriod  a node whose lease is older than this becomes NotReady (default 10 s)
 * @param podEvictionDelay        its pods are deleted this long after that (default 10 s)
 * @param schedulerRetryPeriod    an unschedulable pod is retried at least this often (default 30 s)
 * @param expectationsTimeout     unseen creations/deletions stop blocking a ReplicaSet after this (default 60 s)
 * @param eventTtl                events not seen again for this long are deleted (default 1 h)
 * @param scoringStrategy         the scheduler's resource scoring: LeastAllocated (spread, default) or MostAllocated (bin-pack)
 * @param serviceIpRange          the CIDR range Services get their virtual addresses from (default 127.77.0.0/16)
 * @param nodePortRange           the ports NodePort Services get their node ports from (default 30000-32767)
 */
public record ControlPlaneConfig(int workers, Duration resyncPeriod, Duration retryBaseDelay, Duration retryMaxDelay,
                                 Duration nodeMonitorGracePeriod, Duration podEvictionDelay,
                                 Duration schedulerRetryPeriod, Duration expectationsTimeout, Duration eventTtl,
                                 ScoringStrategy scoringStrategy, String serviceIpRange, String nodePortRange) {

    /** Settings with the default node port range. */
    public ControlPlaneConfig(int workers, Duration resyncPeriod, Duration retryBaseDelay, Duration retryMaxDelay,
                              Duration nodeMonitorGracePeriod, Duration podEvictionDelay,
                              Duration schedulerRetryPeriod, Duration expectationsTimeout, Duration eventTtl,
                              ScoringStrategy scoringStrategy, String serviceIpRange) {
        this(workers, resyncPeriod, retryBaseDelay, retryMaxDelay, nodeMonitorGracePeriod, podEvictionDelay,
                schedulerRetryPeriod, expectationsTimeout, eventTtl, scoringStrategy, serviceIpRange,
                NodePortRange.DEFAULT);
    }

    /** Settings with the default service address range. */
    public ControlPlaneConfig(int workers, Duration resyncPeriod, Duration retryBaseDelay, Duration retryMaxDelay,
                              Duration nodeMonitorGracePeriod, Duration podEvictionDelay,
                              Duration schedulerRetryPeriod, Duration expectationsTimeout, Duration eventTtl,
                              ScoringStrategy scoringStrategy) {
        this(workers, resyncPeriod, retryBaseDelay, retryMaxDelay, nodeMonitorGracePeriod, podEvictionDelay,
                schedulerRetryPeriod, expectationsTimeout, eventTtl, scoringStrategy, ServiceIpRange.DEFAULT);
    }

    /** Settings with the default scoring strategy (LeastAllocated). */
    public ControlPlaneConfig(int workers, Duration resyncPeriod, Duration retryBaseDelay, Duration retryMaxDelay,
                              Duration nodeMonitorGracePeriod, Duration podEvictionDelay,
                              Duration schedulerRetryPeriod, Duration expectationsTimeout, Duration eventTtl) {
        this(workers, resyncPeriod, retryBaseDelay, retryMaxDelay, nodeMonitorGracePeriod, podEvictionDelay,
                schedulerRetryPeriod, expectationsTimeout, eventTtl, ScoringStrategy.LEAST_ALLOCATED);
    }

    public ControlPlaneConfig {
        scoringStrategy = scoringStrategy == null ? ScoringStrategy.LEAST_ALLOCATED : scoringStrategy;
        serviceIpRange = serviceIpRange == null ? ServiceIpRange.DEFAULT : serviceIpRange;
        ServiceIpRange.parse(serviceIpRange);
        nodePortRange = nodePortRange == null ? NodePortRange.DEFAULT : nodePortRange;
        NodePortRange.parse(nodePortRange);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        for (Duration d : new Duration[] {resyncPeriod, retryMaxDelay, nodeMonitorGracePeriod, schedulerRetryPeriod,
            expectationsTimeout, eventTtl}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
        if (retryBaseDelay == null || retryBaseDelay.isNegative() || podEvictionDelay == null
                || podEvictionDelay.isNegative()) {
            throw new IllegalArgumentException("retryBaseDelay and podEvictionDelay must not be negative");
        }
    }

    public static ControlPlaneConfig defaults() {
        return new ControlPlaneConfig(2, Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofHours(1));
    }

    public ControlPlaneConfig withWorkers(int w) {
        return new ControlPlaneConfig(w, resyncPeriod, retryBaseDelay, retryMaxDelay, nodeMonitorGracePeriod,
                podEvictionDelay, schedulerRetryPeriod, expectationsTimeout, eventTtl, scoringStrategy, serviceIpRange,
                nodePortRange);
    }

    public ControlPlaneConfig withResyncPeriod(Duration d) {
        return new ControlPlaneConfig(workers, d, retryBaseDelay, retryMaxDelay, nodeMonitorGracePeriod,
                podEvictionDelay, schedulerRetryPeriod, expectationsTimeout, eventTtl, scoringStrategy, serviceIpRange,
                nodePortRange);
    }

    public ControlPlaneConfig withNodeLifecycle(Duration grace, Duration eviction) {
        return new ControlPlaneConfig(workers, resyncPeriod, retryBaseDelay, retryMaxDelay, grace, eviction,
                schedulerRetryPeriod, expectationsTimeout, eventTtl, scoringStrategy, serviceIpRange,
                nodePortRange);
    }

    public ControlPlaneConfig withRetry(Duration base, Duration max) {
        return new ControlPlaneConfig(workers, resyncPeriod, base, max, nodeMonitorGracePeriod, podEvictionDelay,
                schedulerRetryPeriod, expectationsTimeout, eventTtl, scoringStrategy, serviceIpRange,
                nodePortRange);
    }

    public ControlPlaneConfig withSchedulerRetryPeriod(Duration d) {
        return new ControlPlaneConfig(workers, resyncPeriod, retryBaseDelay, retryMaxDelay, nodeMonitorGracePeriod,
                podEvictionDelay, d, expectationsTimeout, eventTtl, scoringStrategy, serviceIpRange,
                nodePortRange);
    }

    public ControlPlaneConfig withScoringStrategy(ScoringStrategy s) {
        return new ControlPlaneConfig(workers, resyncPeriod, retryBaseDelay, retryMaxDelay, nodeMonitorGracePeriod,
                podEvictionDelay, schedulerRetryPeriod, expectationsTimeout, eventTtl, s, serviceIpRange,
                nodePortRange);
    }

    public ControlPlaneConfig withServiceIpRange(String cidr) {
        return new ControlPlaneConfig(workers, resyncPeriod, retryBaseDelay, retryMaxDelay, nodeMonitorGracePeriod,
                podEvictionDelay, schedulerRetryPeriod, expectationsTimeout, eventTtl, scoringStrategy, cidr,
                nodePortRange);
    }

    public ControlPlaneConfig withNodePortRange(String ports) {
        return new ControlPlaneConfig(workers, resyncPeriod, retryBaseDelay, retryMaxDelay, nodeMonitorGracePeriod,
                podEvictionDelay, schedulerRetryPeriod, expectationsTimeout, eventTtl, scoringStrategy, serviceIpRange,
                ports);
    }
}
