package dev.capstan.engine.client;

import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchListener;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.util.List;
import java.util.Optional;

/**
 * A client of the API server, as node agents and the {@code capstan} command use it. Same semantics as
 * {@link dev.capstan.engine.store.StateStore}: refusals are {@link dev.capstan.engine.store.StoreException}s
 * (404 NotFound, 409 Conflict, 401/403 …), a server that cannot be reached is an
 * {@link ApiUnavailableException}. Thread-safe.
 */
public interface ApiClient extends AutoCloseable {

    /**
     * Lists a kind; {@code namespace == null} means all namespaces. {@code fieldSelector} is Kubernetes'
     * (e.g. {@code spec.nodeName=node-1}); null for none.
     */
    <T extends KubeObject> List<T> list(Kind<T> kind, String namespace, String fieldSelector);

    <T extends KubeObject> Optional<T> get(Kind<T> kind, String namespace, String name);

    <T extends KubeObject> T create(T object);

    /** PUT, compare-and-set on the object's resourceVersion. */
    <T extends KubeObject> T update(T object);

    /** PUT to the status subresource (pods and nodes from their agent). */
    <T extends KubeObject> T updateStatus(T object);

    /** Deletes; false when it was already gone. */
    <T extends KubeObject> boolean delete(Kind<T> kind, String namespace, String name);

    /**
     * Watches from now on (after an initial list the caller made). The listener runs on a client thread.
     * When the stream breaks the client reconnects, re-lists and reports the difference as events.
     */
    <T extends KubeObject> Watch watch(Kind<T> kind, String namespace, String fieldSelector,
                                       WatchListener<T> listener);

    @Override
    void close();
}
