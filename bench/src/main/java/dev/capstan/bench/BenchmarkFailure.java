package dev.capstan.bench;

/** A benchmark could not measure what it claims to; {@code bench/run} prints the message and exits 1. */
public final class BenchmarkFailure extends Exception {
    public BenchmarkFailure(String message) {
        super(message);
    }

    public BenchmarkFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
