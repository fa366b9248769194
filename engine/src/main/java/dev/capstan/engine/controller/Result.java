package dev.capstan.engine.controller;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Reconciler} wants to happen next with its key.
 *
 * @param type   DONE: nothing until the next event or resync; REQUEUE_AFTER: run again after {@code delay}
 *               (back-off is reset); RETRY: not finished, try again with rate-limited back-off
 * @param delay  the delay for REQUEUE_AFTER, zero otherwise
 * @param reason why a RETRY is needed, for the log; null otherwise
 */
public record Result(Type type, Duration delay, String reason) {
    public enum Type { DONE, REQUEUE_AFTER, RETRY }

    private static final Result DONE = new Result(Type.DONE, Duration.ZERO, null);

    public Result {
        Objects.requireNonNull(type, "type");
        delay = delay == null || delay.isNegative() ? Duration.ZERO : delay;
    }

    public static Result done() {
        return DONE;
    }

    public static Result requeueAfter(Duration delay) {
        return new Result(Type.REQUEUE_AFTER, delay, null);
    }

    /** Not finished (e.g. waiting for expectations); retried with the same back-off as an error. */
    public static Result retry(String reason) {
        return new Result(Type.RETRY, Duration.ZERO, reason);
    }

    /** The sooner of two results: RETRY beats REQUEUE_AFTER beats DONE; two delays keep the shorter. */
    public Result sooner(Result other) {
        if (type == Type.RETRY || other.type == Type.DONE) {
            return this;
        }
        if (other.type == Type.RETRY || type == Type.DONE) {
            return other;
        }
        return delay.compareTo(other.delay) <= 0 ? this : other;
    }
}
