package dev.capstan.engine.store;

import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's consistent store: one map per kind, keyed {@code namespace/name} (or {@code name} for
 * cluster-scoped kinds). Only the API server and the controllers use it; nodes go through the API.
 *
 * <p>Contract:
 * <ul>
 *   <li>Every write gets a new, strictly larger {@code metadata.resourceVersion} (a decimal string,
 *       global across kinds).</li>
 *   <li>{@link #update} is compare-and-set: it succeeds only when the object's resourceVersion equals
 *       the stored one, otherwise it throws {@link ConflictException}. Callers re-read and retry.</li>
 *   <li>{@link #create} fills in uid, resourceVersion, creationTimestamp and generation 1, and throws
 *       {@link AlreadyExistsException} when the key is taken. {@link #update} keeps uid and
 *       creationTimestamp and increments generation when anything but metadata and status changed.</li>
 *   <li>Thread-safe. Returned objects are immutable records; never null (absent is an empty Optional).</li>
 *   <li>Watch listeners are called on store threads, in order per key; they must not block.</li>
 * </ul>
 */
public interface StateStore extends AutoCloseable {

    <T extends KubeObject> Optional<T> get(Kind<T> kind, String namespace, String name);

    /** All objects of a kind in a namespace; {@code namespace == null} lists every namespace. */
    <T extends KubeObject> List<T> list(Kind<T> kind, String namespace);

    <T extends KubeObject> T create(T object);

    <T extends KubeObject> T update(T object);

    /**
     * Deletes when present. When {@code expectedResourceVersion} is non-null the delete is conditional
     * and throws {@link ConflictException} on a mismatch. Returns false when there was nothing to delete.
     */
    <T extends KubeObject> boolean delete(Kind<T> kind, String namespace, String name,
                                          String expectedResourceVersion);

    /**
     * Calls the listener for every later change of the kind until the returned handle is closed. Events are
     * delivered asynchronously, so a watch may also be told of a write that completed just before it was
     * opened: watchers reconcile to what they are told, as Kubernetes' informers do.
     */
    <T extends KubeObject> Watch watch(Kind<T> kind, WatchListener<T> listener);

    /**
     * Writes every one of {@code writes} or none of them: when one fails (a conflict, a key taken, the store
     * unavailable) nothing of the batch is stored and the exception is thrown. The batch is committed
     * {@link ReconcileGate#exclusive exclusively} against the reconciles of this process's controllers, and its
     * watch events are delivered after it is whole. Returns the stored objects in the order of {@code writes}
     * (for a delete, the object as it was).
     *
     * @throws UnsupportedOperationException when the store cannot write atomically
     */
    default List<KubeObject> commit(List<StoreWrite> writes) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot write a batch atomically");
    }

    /** The gate that keeps this store's {@link #commit batches} and the reconciles of this process apart. */
    default ReconcileGate gate() {
        return ReconcileGate.UNUSED;
    }

    /** The newest resourceVersion written, for list responses. */
    String resourceVersion();

    @Override
    void close();
}
