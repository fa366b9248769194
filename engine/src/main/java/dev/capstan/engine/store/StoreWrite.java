package dev.capstan.engine.store;

import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;

/**
 * One write of an atomic batch ({@link StateStore#commit}): a create, a compare-and-set update or a
 * conditional delete, with the same rules as the single-object methods.
 *
 * @param object   the object to create or update; for a delete, the object as last read (its kind, key and
 *                 resourceVersion are used)
 */
public record StoreWrite(Op op, KubeObject object) {

    public enum Op { CREATE, UPDATE, DELETE }

    public StoreWrite {
        if (op == null || object == null || object.metadata() == null) {
            throw new IllegalArgumentException("a store write needs an operation and an object with metadata");
        }
    }

    public static StoreWrite create(KubeObject o) {
        return new StoreWrite(Op.CREATE, o);
    }

    /** Compare-and-set on {@code o}'s resourceVersion. */
    public static StoreWrite update(KubeObject o) {
        return new StoreWrite(Op.UPDATE, o);
    }

    /** Deletes {@code o} if it still has {@code o}'s resourceVersion; a conflict otherwise. */
    public static StoreWrite delete(KubeObject o) {
        return new StoreWrite(Op.DELETE, o);
    }

    public Kind<?> kind() {
        return Kinds.of(object);
    }

    /** {@code Kind namespace/name}, for messages. */
    public String id() {
        return object.kind() + " " + object.key();
    }
}
