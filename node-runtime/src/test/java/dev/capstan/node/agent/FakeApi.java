package dev.capstan.node.agent;

import dev.capstan.engine.client.ApiClient;
import dev.capstan.engine.store.AlreadyExistsException;
import dev.capstan.engine.store.ConflictException;
import dev.capstan.engine.store.NotFoundException;
import dev.capstan.engine.store.Watch;
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
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory API for agent tests: compare-and-set on resourceVersion, no watches (the agent also polls). */
final class FakeApi implements ApiClient {
    private final Map<String, String> objects = new TreeMap<>(); // kind/ns/name -> JSON
    private final AtomicLong version = new AtomicLong();

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
                if (fieldSelector != null && fieldSelector.startsWith("spec.nodeName=") && o instanceof Pod p
                        && !Objects.equals(p.nodeName(), fieldSelector.substring("spec.nodeName=".length()))) {
                    continue;
                }
                out.add(o);
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
        return stored;
    }

    @Override
    public <T extends KubeObject> T updateStatus(T object) {
        return update(object);
    }

    @Override
    public synchronized <T extends KubeObject> boolean delete(Kind<T> kind, String namespace, String name) {
        return objects.remove(key(kind, namespace, name)) != null;
    }

    @Override
    public <T extends KubeObject> Watch watch(Kind<T> kind, String namespace, String fieldSelector,
                                              WatchListener<T> listener) {
        return () -> { };
    }

    Pod pod(String ns, String name) {
        return get(Kinds.POD, ns, name).orElseThrow();
    }

    List<Event> events() {
        return list(Kinds.EVENT, null, null);
    }

    @Override
    public void close() {
    }
}
