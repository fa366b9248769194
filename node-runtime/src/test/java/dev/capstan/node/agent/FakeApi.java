package dev.capstan.node.agent;

import dev.capstan.engine.client.ApiClient;
import dev.capstan.engine.store.AlreadyExistsException;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.NotFoundException;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.engine.store.WatchListener;
import dev.capstan.model.Event;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.Kinds;
import dev.capstan.model.KubeObject;
import dev.capstan.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory API for agent tests: compare-and-set on resourceVersion; watches (with the {@code spec.nodeName}
 * field selector) told of every change in order on one thread of their own, as the real client tells them.
 */
final class FakeApi implements ApiClient {
    private final Map<String, String> objects = new TreeMap<>(); // kind/ns/name -> JSON
    private final AtomicLong version = new AtomicLong();
    private final List<Watcher<?>> watchers = new CopyOnWriteArrayList<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-api-watch");
        t.setDaemon(true);
        return t;
    });

    private record Watcher<T extends KubeObject>(Kind<T> kind, String fieldSelector, WatchListener<T> listener) {
        void tell(WatchEvent.Type type, KubeObject o) {
            if (o.kind().equals(kind.kind()) && selects(fieldSelector, o)) {
                listener.onEvent(new WatchEvent<>(type, kind.type().cast(o)));
            }
        }
    }

    private static boolean selects(String fieldSelector, KubeObject o) {
        return fieldSelector == null || !fieldSelector.startsWith("spec.nodeName=") || !(o instanceof Pod p)
                || Objects.equals(p.nodeName(), fieldSelector.substring("spec.nodeName=".length()));
    }

    private void tell(WatchEvent.Type type, KubeObject o) {
        events.execute(() -> watchers.forEach(w -> w.tell(type, o)));
    }

    private static String key(Kind<?> kind, String ns, String name) {
        return kind.kind() + "/" + (ns == null ? "" : ns) + "/" + name;
    }

    private static String key(KubeObject o) {
        return o.kind() + "/" + (o.metadata().namespace() == null ? "" : o.metadata().namespace()) + "/"
                + o.metadata().name();
    }

    @Override
    public synchronized <T extends KubeObject> List<T> list(Kind<T> kind, String namespace, String fieldSelector) {
        List<T> out = new ArrayList<>();
        for (var e : objects.entrySet()) {
            if (e.getKey().startsWith(kind.kind() + "/" + (namespace == null ? "" : namespace + "/"))) {
                T o = Json.read(e.getValue(), kind.type());
                if (selects(fieldSelector, o)) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    @Override
    public synchronized <T extends KubeObject> Optional<T> get(Kind<T> kind, String namespace, String name) {
        return Optional.ofNullable(objects.get(key(kind, namespace, name))).map(j -> Json.read(j, kind.type()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T extends KubeObject> T create(T object) {
        if (objects.containsKey(key(object))) {
            throw new AlreadyExistsException(key(object) + " exists");
        }
        var m = object.metadata().withResourceVersion(Long.toString(version.incrementAndGet()));
        if (m.uid() == null) {
            m = m.withUid(UUID.randomUUID().toString());
        }
        T stored = (T) object.withMetadata(m);
        objects.put(key(stored), Json.write(stored));
        tell(WatchEvent.Type.ADDED, stored);
        return stored;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T extends KubeObject> T update(T object) {
        String old = objects.get(key(object));
        if (old == null) {
            throw new NotFoundException(key(object) + " not found");
        }
        KubeObject current = Json.read(old, object.getClass());
        if (object.metadata().resourceVersion() != null
                && !object.metadata().resourceVersion().equals(current.metadata().resourceVersion())) {
            throw new ConflictException(key(object) + " changed");
        }
        T stored = (T) object.withMetadata(object.metadata().withResourceVersion(Long.toString(version.incrementAndGet())));
        objects.put(key(stored), Json.write(stored));
        tell(WatchEvent.Type.MODIFIED, stored);
        return stored;
    }

    @Override
    public <T extends KubeObject> T updateStatus(T object) {
        return update(object);
    }

    @Override
    public synchronized <T extends KubeObject> boolean delete(Kind<T> kind, String namespace, String name) {
        String old = objects.remove(key(kind, namespace, name));
        if (old != null) {
            tell(WatchEvent.Type.DELETED, Json.read(old, kind.type()));
        }
        return old != null;
    }

    @Override
    public <T extends KubeObject> Watch watch(Kind<T> kind, String namespace, String fieldSelector,
                                              WatchListener<T> listener) {
        Watcher<T> w = new Watcher<>(kind, fieldSelector, listener);
        watchers.add(w);
        return () -> watchers.remove(w);
    }

    Pod pod(String ns, String name) {
        return get(Kinds.POD, ns, name).orElseThrow();
    }

    List<Event> events() {
        return list(Kinds.EVENT, null, null);
    }

    @Override
    public void close() {
        events.shutdownNow();
    }
}
