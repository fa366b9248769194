package dev.capstan.engine.controller.builtin;

import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchListener;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.util.List;
import java.util.Optional;

/**
 * A store that misbehaves on request, everything else going to the real store: list() answers can be
 * frozen (a stale cache), and the next update can fail with a conflict (someone wrote first).
 */
final class FlakyStore implements StateStore {
    private final StateStore real;
    private volatile Kind<?> frozenKind;
    private volatile List<?> frozen;
    private final java.util.concurrent.atomic.AtomicBoolean failNextUpdate = new java.util.concurrent.atomic.AtomicBoolean();

    FlakyStore(StateStore real) {
        this.real = real;
    }

    /** From now on list(kind, …) returns what it returns right now. */
    <T extends KubeObject> void freeze(Kind<T> kind, String namespace) {
        frozen = real.list(kind, namespace);
        frozenKind = kind;
    }

    void thaw() {
        frozenKind = null;
    }

    void failNextUpdate() {
        failNextUpdate.set(true);
    }

    @Override
    public <T extends KubeObject> Optional<T> get(Kind<T> kind, String namespace, String name) {
        return real.get(kind, namespace, name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends KubeObject> List<T> list(Kind<T> kind, String namespace) {
        return kind == frozenKind ? (List<T>) frozen : real.list(kind, namespace);
    }

    @Override
    public <T extends KubeObject> T create(T object) {
        return real.create(object);
    }

    @Override
    public <T extends KubeObject> T update(T object) {
        if (failNextUpdate.compareAndSet(true, false)) {
            throw new dev.capstan.engine.store.ConflictException("injected conflict on " + object.key());
        }
        return real.update(object);
    }

    @Override
    public <T extends KubeObject> boolean delete(Kind<T> kind, String namespace, String name, String expected) {
        return real.delete(kind, namespace, name, expected);
    }

    @Override
    public <T extends KubeObject> Watch watch(Kind<T> kind, WatchListener<T> listener) {
        return real.watch(kind, listener);
    }

    @Override
    public String resourceVersion() {
        return real.resourceVersion();
    }

    @Override
    public void close() {
    }
}
