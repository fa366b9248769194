package dev.capstan.engine.store;

public class NotFoundException extends StoreException {
    public NotFoundException(String message) {
        super(404, "NotFound", message);
    }
}
