package dev.capstan.engine.client;

import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.engine.store.WatchListener;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every object of one kind (in all namespaces, optionally narrowed by a field selector), kept current by a watch
 * (an informer, in Kubernetes' words):
 * readers ask the cache instead of listing from the API each time. {@link #relist()} takes a fresh list (at the
 * start, and as often as the owner wants a resync) without undoing watch events that arrive while it is being
 * taken. Thread-safe.
 *
 * <pre>
 * WatchCache&lt;Service&gt; services = WatchCache.start(api, Kinds.SERVICE, null, e -> schedule(sync));
 * services.relist();                       // the first list; throws when the API cannot be reached
 * services.objects();                      // every Service now
 * </pre>
 */
public final class WatchCache<T extends KubeObject> implements AutoCloseable {
    private final ApiClient api;
    private final Kind<T> kind;
    private final String fieldSelector;
    private final WatchListener<T> listener;
    private final Map<String, T> objects = new ConcurrentHashMap<>();
    /** Keys that watch events changed since the current list began. */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private volatile boolean listed;
    private volatile long listedAt;
    private volatile Watch watch;

    private WatchCache(ApiClient api, Kind<T> kind, String fieldSelector, WatchListener<T> listener) {
        this.api = api;
        this.kind = kind;
        this.fieldSelector = fieldSelector;
        this.listener = listener;
    }

    /**
     * Starts watching the kind ({@code fieldSelector} as in {@link ApiClient#list}, null for every object);
     * {@code listener} is told each event on the watch's thread once the cache has it (it must not block).
     * Empty until the first {@link #relist()}.
     */
    public static <T extends KubeObject> WatchCache<T> start(ApiClient api, Kind<T> kind, String fieldSelector,
                                                             WatchListener<T> listener) {
        WatchCache<T> c = new WatchCache<>(api, kind, fieldSelector, listener);
        c.watch = api.watch(kind, null, fieldSelector, c::onEvent);
        return c;
    }

    private void onEvent(WatchEvent<T> e) {
        String key = e.object().key();
        touched.add(key); // a list taken meanwhile must not undo this event
        if (e.type() == WatchEvent.Type.DELETED) {
            objects.remove(key);
        } else {
            objects.merge(key, e.object(), (cached, event) -> version(cached) > version(event) ? cached : event);
        }
        listener.onEvent(e);
    }

    /**
     * Takes a fresh list, except for objects a watch event changed while the list was being taken (the event is
     * at least as new as the list), and where the watch already delivered a newer version of an object.
     *
     * @throws RuntimeException when the API cannot be reached (the cache keeps what it had)
     */
    public void relist() {
        long started = System.nanoTime();
        touched.clear();
        List<T> fresh = api.list(kind, null, fieldSelector);
        Map<String, T> byKey = new HashMap<>();
        fresh.forEach(o -> byKey.put(o.key(), o));
        objects.keySet().removeIf(k -> !byKey.containsKey(k) && !touched.contains(k));
        byKey.forEach((k, o) -> {
            if (!touched.contains(k)) {
                objects.merge(k, o, (cached, listed) -> version(cached) > version(listed) ? cached : listed);
            }
        });
        listedAt = started;
        listed = true;
    }

    /** Whether a list has succeeded since the start (before that the cache only has what events brought). */
    public boolean listed() {
        return listed;
    }

    /** Nanoseconds since the last successful list began ({@link Long#MAX_VALUE} before the first). */
    public long sinceListed() {
        return listed ? System.nanoTime() - listedAt : Long.MAX_VALUE;
    }

    /** Every object now, in no particular order. */
    public Collection<T> objects() {
        return List.copyOf(objects.values());
    }

    /** The objects of one namespace. */
    public List<T> inNamespace(String namespace) {
        return objects.values().stream().filter(o -> namespace.equals(o.metadata().namespace())).toList();
    }

    /** The object with this {@link KubeObject#key()}, or null. */
    public T get(String key) {
        return objects.get(key);
    }

    private static long version(KubeObject o) {
        try {
            return Long.parseLong(o.metadata().resourceVersion());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Stops the watch. */
    @Override
    public void close() {
        Watch w = watch;
        if (w != null) {
            w.close();
        }
    }
}
