package dev.capstan.engine.admission;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationListener;

/**
 * The cost and time limit of one evaluation: CEL calls {@link #callback} after each sub-expression it evaluates;
 * each call costs one step, and every 64 steps the clock is read. Going over either throws {@link Exceeded},
 * which ends the evaluation. One per evaluation; not thread-safe.
 */
final class Budget implements CelEvaluationListener {
    private final long maxSteps;
    private final long deadline;
    private long steps;

    /**
     * Thrown out of CEL's interpreter to stop a runaway evaluation. An Error, not an exception: CEL absorbs
     * exceptions inside {@code &&}, {@code ||}, {@code all} and {@code exists} (an error there is a value) and
     * would go on evaluating.
     */
    static final class Exceeded extends Error {
        Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    Budget(long maxSteps, long deadlineNanos) {
        this.maxSteps = maxSteps;
        this.deadline = deadlineNanos;
    }

    @Override
    public void callback(CelExpr expr, Object result) {
        if (++steps > maxSteps) {
            throw new Exceeded("over its cost limit (" + maxSteps + " evaluation steps)");
        }
        if ((steps & 63) == 0 && System.nanoTime() - deadline > 0) {
            throw new Exceeded("over its time limit");
        }
    }

    long steps() {
        return steps;
    }
}
