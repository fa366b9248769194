package dev.capstan.engine.store;

/** An open watch; closing it stops the events. Idempotent. */
public interface Watch extends AutoCloseable {
    @Override
    void close();
}
