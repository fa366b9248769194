package dev.capstan.engine.scheduler;

import dev.capstan.model.Pod;

/**
 * Ranks the nodes that passed every filter, after Kubernetes' framework {@code ScorePlugin}.
 *
 * <p>Contract: a pure function of its arguments, like {@link FilterPlugin}; returns 0 (worst) to 100
 * (best), values outside are clamped. A node's total is the sum of {@code weight × score} over the
 * profile's score plugins; the highest total wins. Called from the single scheduling thread.
 */
public interface ScorePlugin {
    int MIN_SCORE = 0;
    int MAX_SCORE = 100;

    String name();

    int score(Pod pod, NodeInfo node);

    /** Like {@link FilterPlugin#prepareFilter}: the scorer for this pod's cycle; the default returns {@code this}; null to skip
     * (the plugin would score every node alike for this pod). */
    default ScorePlugin prepareScore(Pod pod, ClusterView cluster) {
        return this;
    }

    /** The plugin's weight in the total; default 1. */
    default int weight() {
        return 1;
    }
}
