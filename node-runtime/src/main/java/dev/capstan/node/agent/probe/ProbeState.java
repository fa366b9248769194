package dev.capstan.node.agent.probe;

import dev.capstan.model.Probe;
import java.time.Instant;

/**
 * One probe of one container, as a state machine with no clock and no I/O of its own: the caller says
 * when it is ({@link #due}) and what a check gave ({@link #record}).
 *
 * <ul>
 *   <li>Before {@code initialDelaySeconds} have passed since the container started, nothing runs.</li>
 *   <li>The result starts as Kubernetes' does: liveness {@link Result#SUCCESS} (alive until proven
 *       otherwise), readiness {@link Result#FAILURE} (not ready until proven), startup
 *       {@link Result#UNKNOWN}.</li>
 *   <li>{@code successThreshold} consecutive successes make it SUCCESS, {@code failureThreshold}
 *       consecutive failures make it FAILURE; anything in between keeps the last result.</li>
 *   <li>A startup probe stops once it succeeded: the container has started for good.</li>
 * </ul>
 * Not thread-safe: one worker owns it.
 */
public final class ProbeState {

    /** Which probe: liveness restarts, readiness gates traffic, startup holds the other two back. */
    public enum Kind {
        LIVENESS("Liveness"), READINESS("Readiness"), STARTUP("Startup");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        /** {@code Liveness}, {@code Readiness}, {@code Startup}: as in Kubernetes' event messages. */
        public String title() {
            return title;
        }
    }

    /** The probe's current verdict. */
    public enum Result { UNKNOWN, SUCCESS, FAILURE }

    private final Kind kind;
    private final Probe probe;
    private final Instant notBefore;
    private Result result;
    private int successes;
    private int failures;
    private String message;

    public ProbeState(Kind kind, Probe probe, Instant containerStarted) {
        this.kind = kind;
        this.probe = probe;
        int delay = probe.initialDelaySeconds() == null ? 0 : Math.max(0, probe.initialDelaySeconds());
        this.notBefore = containerStarted.plusSeconds(delay);
        this.result = switch (kind) {
            case LIVENESS -> Result.SUCCESS;
            case READINESS -> Result.FAILURE;
            case STARTUP -> Result.UNKNOWN;
        };
    }

    public Kind kind() {
        return kind;
    }

    public Probe probe() {
        return probe;
    }

    /** Whether a check should run at {@code now}: past the initial delay, and not a startup probe that is done. */
    public boolean due(Instant now) {
        if (kind == Kind.STARTUP && result == Result.SUCCESS) {
            return false;
        }
        return !now.isBefore(notBefore);
    }

    /** Counts one check's outcome. Returns true when the result changed. */
    public boolean record(boolean success, String why) {
        Result before = result;
        if (success) {
            failures = 0;
            successes++;
            if (successes >= Math.max(1, probe.successThresholdOrDefault())) {
                result = Result.SUCCESS;
            }
        } else {
            successes = 0;
            failures++;
            message = why;
            if (failures >= Math.max(1, probe.failureThresholdOrDefault())) {
                result = Result.FAILURE;
            }
        }
        return result != before;
    }

    public Result result() {
        return result;
    }

    /** The last failure's explanation, e.g. {@code HTTP probe failed with status code 500}; null before any. */
    public String lastFailure() {
        return message;
    }

    /** Consecutive failures so far (0 after a success). */
    public int failures() {
        return failures;
    }
}
