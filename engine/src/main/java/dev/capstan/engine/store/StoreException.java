package dev.capstan.engine.store;

/** A store or API operation was refused; the message is for people. {@link #httpStatus()} maps it to HTTP. */
public class StoreException extends RuntimeException {
    private final int httpStatus;
    private final String reason;

    public StoreException(int httpStatus, String reason, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.reason = reason;
    }

    /** 404, 409, 403, 422 … */
    public int httpStatus() {
        return httpStatus;
    }

    /** Kubernetes' Status reason: NotFound, Conflict, AlreadyExists, Forbidden, Invalid … */
    public String reason() {
        return reason;
    }
}
