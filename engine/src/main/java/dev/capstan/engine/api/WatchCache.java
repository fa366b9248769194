package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.engine.store.StateStore;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's window of recent changes, one per kind, so a watch can resume from a resourceVersion as in
 * Kubernetes' watch cache. It subscribes to the store once per kind at start; every API watch subscribes
 * here. Resuming from a version older than the window (or than the server's start) is a 410 Expired, and
 * the client re-lists.
 *
 * <p>The store reports a deleted object in its last state, so a DELETED event may carry an old
 * resourceVersion; it is placed in the window at the newest version seen when it arrived.
 */
final class WatchCache implements AutoCloseable {

    /** Receives events in order; {@link #offer} must not block (hand the event to the connection's thread). */
    interface Subscriber {
        void offer(Entry entry);
    }

    /** One change, with its JSON form computed once for every subscriber that filters on fields. */
    static final class Entry {
        final WatchEvent.Type type;
        final KubeObject object;
        final long rv;
        final long windowRv;
        private volatile JsonNode tree;

        Entry(WatchEvent.Type type, KubeObject object, long rv, long windowRv) {
            this.type = type;
            this.object = object;
            this.rv = rv;
            this.windowRv = windowRv;
        }

        JsonNode tree() {
            JsonNode t = tree;
            if (t == null) {
                t = Json.MAPPER.valueToTree(object);
                tree = t;
            }
            return t;
        }
    }

    private final StateStore store;
    private final int capacity;
    private final Map<Kind<?>, KindWindow> windows = new LinkedHashMap<>();
    private final List<Watch> storeWatches = new ArrayList<>();
    private final AtomicLong newestSeen = new AtomicLong();
    private volatile long startRv;

    WatchCache(StateStore store, int capacity) {
        this.store = store;
        this.capacity = capacity;
    }

    /** Subscribes to every kind, then notes where the window starts. */
    void start(List<Kind<?>> kinds) {
        for (Kind<?> k : kinds) {
            KindWindow w = new KindWindow();
            windows.put(k, w);
            storeWatches.add(subscribe(k, w));
        }
        startRv = parse(store.resourceVersion());
        newestSeen.accumulateAndGet(startRv, Math::max);
    }

    private <T extends KubeObject> Watch subscribe(Kind<T> kind, KindWindow w) {
        return store.watch(kind, w::onEvent);
    }

    KindWindow window(Kind<?> kind) {
        KindWindow w = windows.get(kind);
        if (w == null) {
            throw new IllegalStateException("watch cache not started for " + kind);
        }
        return w;
    }

    @Override
    public void close() {
        storeWatches.forEach(Watch::close);
        storeWatches.clear();
    }

    /** A decimal resourceVersion; blank or unreadable is 0. */
    static long parse(String rv) {
        if (rv == null || rv.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The recent changes of one kind and its current subscribers. */
    final class KindWindow {
        private final ArrayDeque<Entry> entries = new ArrayDeque<>();
        private final List<Subscriber> subscribers = new ArrayList<>();
        private long evictedRv;
        private long newestRv;

        synchronized void onEvent(WatchEvent<? extends KubeObject> e) {
            long rv = parse(e.object().metadata().resourceVersion());
            long seen = newestSeen.accumulateAndGet(rv, Math::max);
            long windowRv = e.type() == WatchEvent.Type.DELETED ? Math.max(rv, seen) : rv;
            Entry entry = new Entry(e.type(), e.object(), rv, windowRv);
            entries.addLast(entry);
            newestRv = Math.max(newestRv, windowRv);
            while (entries.size() > capacity) {
                evictedRv = Math.max(evictedRv, entries.removeFirst().windowRv);
            }
            for (Subscriber s : subscribers) {
                s.offer(entry);
            }
        }

        /**
         * Adds a subscriber. With {@code fromRv >= 0} it first gets every change in the window after that
         * version; a version older than the window is a 410 Expired.
         */
        synchronized void subscribe(Subscriber s, long fromRv) {
            if (fromRv >= 0) {
                long oldest = Math.max(startRv, evictedRv);
                if (fromRv < oldest) {
                    throw ApiErrors.expired("too old resource version: " + fromRv + " (" + oldest + ")");
                }
                for (Entry e : entries) {
                    boolean after = e.type == WatchEvent.Type.DELETED ? e.windowRv >= fromRv : e.rv > fromRv;
                    if (after) {
                        s.offer(e);
                    }
                }
            }
            subscribers.add(s);
        }

        synchronized void unsubscribe(Subscriber s) {
            subscribers.remove(s);
        }

        /** The newest version every subscriber has been offered, for bookmarks. */
        synchronized long newest() {
            return Math.max(newestRv, startRv);
        }
    }
}
