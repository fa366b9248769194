package dev.capstan.engine.store;

/** The object changed since it was read (resourceVersion mismatch): re-read and try again. */
public class ConflictException extends StoreException {
    public ConflictException(String message) {
        super(409, "Conflict", message);
    }
}
