package dev.capstan.engine.client;

/** The API server could not be reached or answered garbage; the message says where and why. */
public class ApiUnavailableException extends RuntimeException {
    public ApiUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
