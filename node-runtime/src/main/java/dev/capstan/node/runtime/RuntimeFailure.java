package dev.capstan.node.runtime;

/** A runtime operation failed; the message says what and why, in words a user can act on. */
public class RuntimeFailure extends Exception {
    public RuntimeFailure(String message) {
        super(message);
    }

    public RuntimeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
