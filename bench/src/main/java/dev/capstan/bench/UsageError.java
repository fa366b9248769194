package dev.capstan.bench;

/** Bad command-line input: {@code bench/run} prints the message and exits 2. */
final class UsageError extends Exception {
    UsageError(String message) {
        super(message);
    }
}
