package dev.capstan.gitsync.plan;

/** Plan could not start: a bad revision, repository or nodes file. The message is one line for a user. */
public final class PlanException extends Exception {
    public PlanException(String message) {
        super(message);
    }

    public PlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
