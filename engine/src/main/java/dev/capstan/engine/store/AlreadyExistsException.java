package dev.capstan.engine.store;

public class AlreadyExistsException extends StoreException {
    public AlreadyExistsException(String message) {
        super(409, "AlreadyExists", message);
    }
}
