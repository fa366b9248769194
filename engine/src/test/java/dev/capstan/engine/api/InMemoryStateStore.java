package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.engine.store.AlreadyExistsException;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.NotFoundException;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.engine.store.WatchListener;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.ObjectMeta;
import dev.capstan.model.Times;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test-only {@link StateStore} in memory: one global, increasing resourceVersion (deletes take one too),
 * compare-and-set updates, generation bumped when anything but metadata and status changes, and watch
 * events delivered synchronously, in write order, on the writing thread. DELETED events carry the
 * object's last stored state, as the contract says.
 */
public final class InMemoryStateStore implements StateStore {

    private final Map<Kind<?>, TreeMap<String, KubeObject>> maps = new HashMap<>();
    private final Map<Kind<?>, List<WatchListener<KubeObject>>> listeners = new HashMap<>();
    private long rv;

    public InMemoryStateStore() {
        for (Kind<?> k : Kinds.ALL) {
            maps.put(k, new TreeMap<>());
            listeners.put(k, new CopyOnWriteArrayList<>());
        }
    }

    @Override
    public synchronized <T extends KubeObject> Optional<T> get(Kind<T> kind, String namespace, String name) {
        return Optional.ofNullable(kind.type().cast(maps.get(kind).get(ObjectMeta.key(ns(kind, namespace), name))));
    }

    @Override
    public synchronized <T extends KubeObject> List<T> list(Kind<T> kind, String namespace) {
        List<T> out = new ArrayList<>();
        for (KubeObject o : maps.get(kind).values()) {
            if (namespace == null || !kind.namespaced() || namespace.equals(o.metadata().namespace())) {
                out.add(kind.type().cast(o));
            }
        }
        return out;
    }

    @Override
    public synchronized <T extends KubeObject> T create(T object) {
        Kind<T> kind = Kinds.of(object);
        String key = object.key();
        if (maps.get(kind).containsKey(key)) {
            throw new AlreadyExistsException(kind.plural() + " \"" + object.metadata().name() + "\" already exists");
        }
        ObjectMeta m = object.metadata().withUid(UUID.randomUUID().toString())
                .withResourceVersion(Long.toString(++rv)).withGeneration(1L)
                .withCreationTimestamp(object.metadata().creationTimestamp() != null
                        ? object.metadata().creationTimestamp() : Times.now());
        @SuppressWarnings("unchecked")
        T stored = (T) object.withMetadata(m);
        maps.get(kind).put(key, stored);
        fire(kind, WatchEvent.Type.ADDED, stored);
        return stored;
    }

    @Override
    public synchronized <T extends KubeObject> T update(T object) {
        Kind<T> kind = Kinds.of(object);
        KubeObject old = maps.get(kind).get(object.key());
        if (old == null) {
            throw new NotFoundException(kind.plural() + " \"" + object.metadata().name() + "\" not found");
        }
        if (!Objects.equals(old.metadata().resourceVersion(), object.metadata().resourceVersion())) {
            throw new ConflictException("resourceVersion " + object.metadata().resourceVersion() + " is stale (now "
                    + old.metadata().resourceVersion() + ")");
        }
        long gen = old.metadata().generation() == null ? 1 : old.metadata().generation();
        if (!specOf(old).equals(specOf(object))) {
            gen++;
        }
        ObjectMeta m = object.metadata().withUid(old.metadata().uid())
                .withCreationTimestamp(old.metadata().creationTimestamp())
                .withResourceVersion(Long.toString(++rv)).withGeneration(gen);
        @SuppressWarnings("unchecked")
        T stored = (T) object.withMetadata(m);
        maps.get(kind).put(object.key(), stored);
        fire(kind, WatchEvent.Type.MODIFIED, stored);
        return stored;
    }

    private static JsonNode specOf(KubeObject o) {
        ObjectNode t = Json.MAPPER.valueToTree(o);
        t.remove("metadata");
        t.remove("status");
        return t;
    }

    @Override
    public synchronized <T extends KubeObject> boolean delete(Kind<T> kind, String namespace, String name,
                                                           String expectedResourceVersion) {
        String key = ObjectMeta.key(ns(kind, namespace), name);
        KubeObject old = maps.get(kind).get(key);
        if (old == null) {
            return false;
        }
        if (expectedResourceVersion != null && !expectedResourceVersion.equals(old.metadata().resourceVersion())) {
            throw new ConflictException("resourceVersion " + expectedResourceVersion + " is stale");
        }
        maps.get(kind).remove(key);
        ++rv;
        fire(kind, WatchEvent.Type.DELETED, old);
        return true;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public synchronized <T extends KubeObject> Watch watch(Kind<T> kind, WatchListener<T> listener) {
        WatchListener<KubeObject> l = (WatchListener) listener;
        listeners.get(kind).add(l);
        return () -> listeners.get(kind).remove(l);
    }

    @Override
    public synchronized String resourceVersion() {
        return Long.toString(rv);
    }

    /** How many watch listeners are registered on a kind (to check that watches are closed). */
    public int listenerCount(Kind<?> kind) {
        return listeners.get(kind).size();
    }

    @Override
    public void close() {
        listeners.values().forEach(List::clear);
    }

    private static String ns(Kind<?> kind, String namespace) {
        return kind.namespaced() ? namespace : null;
    }

    private void fire(Kind<?> kind, WatchEvent.Type type, KubeObject o) {
        for (WatchListener<KubeObject> l : listeners.get(kind)) {
            l.onEvent(new WatchEvent<>(type, o));
        }
    }
}
