package dev.capstan.engine.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.engine.store.StoreException;
import dev.capstan.engine.store.Watch;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.engine.store.WatchListener;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client watch on its own daemon thread: streams {@code ?watch=true} line by line and calls the
 * listener. When the stream ends or breaks it reconnects with back-off and resumes from the last
 * resourceVersion it saw; when the server says that version is too old (410), it re-lists and reports the
 * difference from what it knew as ADDED / MODIFIED / DELETED. Duplicates from a resume are dropped.
 */
final class ClientWatch<T extends KubeObject> implements Watch {
    private static final Logger LOG = LoggerFactory.getLogger(ClientWatch.class);
    static final long MIN_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 5_000;

    private final HttpApiClient client;
    private final Kind<T> kind;
    private final String namespace;
    private final String fieldSelector;
    private final WatchListener<T> listener;
    private final Map<String, T> known = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile InputStream current;
    private volatile long lastActivity = System.nanoTime();
    private java.util.concurrent.ScheduledFuture<?> watchdog;
    private String resourceVersion;
    /** True once {@link #known} is everything the listener has seen: then DELETED of unknown keys is noise. */
    private boolean complete;

    ClientWatch(HttpApiClient client, Kind<T> kind, String namespace, String fieldSelector, WatchListener<T> listener) {
        this.client = client;
        this.kind = kind;
        this.namespace = namespace;
        this.fieldSelector = fieldSelector;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.thread = new Thread(this::run, "capstan-watch-" + kind.plural());
        this.thread.setDaemon(true);
    }

    /** Takes the starting point (a list now when {@code fromVersion} is null) and starts the thread. */
    void start(String fromVersion) {
        HttpApiClient.Listing<T> now = client.listWithVersion(kind, namespace, null, fieldSelector);
        if (fromVersion == null) {
            now.items().forEach(o -> known.put(o.key(), o));
            resourceVersion = now.resourceVersion();
            complete = true;
        } else {
            // the caller has what existed at fromVersion: what has not changed since is surely known
            long from = number(fromVersion);
            now.items().stream().filter(o -> number(o.metadata().resourceVersion()) <= from)
                    .forEach(o -> known.put(o.key(), o));
            resourceVersion = fromVersion;
        }
        thread.start();
        long idle = client.watchIdleTimeout().toNanos();
        watchdog = client.scheduler().scheduleWithFixedDelay(() -> {
            InputStream in = current;
            if (in != null && System.nanoTime() - lastActivity > idle) {
                LOG.debug("watch of {} silent for too long; reconnecting", kind.plural());
                closeQuietly(in);
            }
        }, idle / 4, idle / 4, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // only to unblock the reader
        }
    }

    private void run() {
        long backoff = MIN_BACKOFF_MS;
        while (!closed) {
            try {
                boolean progressed = streamOnce();
                backoff = MIN_BACKOFF_MS;
                if (!progressed && !closed) {
                    sleep(MIN_BACKOFF_MS);
                }
            } catch (Expired e) {
                relistQuietly();
            } catch (RuntimeException | IOException e) {
                if (closed) {
                    break;
                }
                LOG.debug("watch of {} broke ({}); reconnecting in {} ms", kind.plural(), e.toString(), backoff);
                sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 4 + 1));
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    /** One watch request until the server ends it; true when any line arrived. */
    private boolean streamOnce() throws IOException, InterruptedException {
        String q = HttpApiClient.query("watch", "true", "allowWatchBookmarks", "true",
                "resourceVersion", resourceVersion, "fieldSelector", fieldSelector,
                "timeoutSeconds", Long.toString(240 + ThreadLocalRandom.current().nextLong(120)));
        HttpResponse<InputStream> r;
        try {
            r = client.stream(HttpApiClient.collection(kind, namespace) + q);
        } catch (IOException e) {
            throw HttpApiClient.unavailable(client.server(), e);
        }
        try (InputStream in = r.body()) {
            lastActivity = System.nanoTime();
            current = in;
            if (closed) {
                return false;
            }
            if (r.statusCode() != 200) {
                byte[] body = in.readAllBytes();
                if (r.statusCode() == 410) {
                    throw new Expired();
                }
                throw HttpApiClient.refusal(r.request(), r.statusCode(), body);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            boolean any = false;
            String line;
            while (!closed && (line = reader.readLine()) != null) {
                lastActivity = System.nanoTime();
                if (!line.isBlank()) {
                    any = true;
                    handle(Json.MAPPER.readTree(line));
                }
            }
            return any;
        } finally {
            current = null;
        }
    }

    private void handle(JsonNode event) {
        String type = event.path("type").asText("");
        JsonNode object = event.path("object");
        switch (type) {
            case "BOOKMARK" -> resourceVersion = object.path("metadata").path("resourceVersion").asText(resourceVersion);
            case "ERROR" -> {
                if (object.path("code").asInt() == 410) {
                    throw new Expired();
                }
                throw new StoreException(object.path("code").asInt(500), object.path("reason").asText("Unknown"),
                        object.path("message").asText("watch error"));
            }
            case "ADDED", "MODIFIED", "DELETED" -> {
                T o = HttpApiClient.decode(kind, object);
                WatchEvent.Type t = WatchEvent.Type.valueOf(type);
                if (t != WatchEvent.Type.DELETED) {
                    resourceVersion = newer(resourceVersion, o.metadata().resourceVersion());
                }
                apply(t, o);
            }
            default -> LOG.debug("ignoring watch event of type '{}'", type);
        }
    }

    /** Updates what is known and tells the listener, unless the event repeats what is known. */
    private void apply(WatchEvent.Type type, T o) {
        String key = o.key();
        T before = known.get(key);
        if (type == WatchEvent.Type.DELETED) {
            if (before == null && complete) {
                return;
            }
            known.remove(key);
        } else {
            if (before != null && Objects.equals(before.metadata().resourceVersion(), o.metadata().resourceVersion())) {
                return;
            }
            known.put(key, o);
            if (before != null) {
                type = WatchEvent.Type.MODIFIED;
            } else if (complete) {
                type = WatchEvent.Type.ADDED;
            }
        }
        try {
            listener.onEvent(new WatchEvent<>(type, o));
        } catch (RuntimeException e) {
            LOG.warn("watch listener for {} failed on {} {}", kind.plural(), type, key, e);
        }
    }

    private void relistQuietly() {
        try {
            relist();
        } catch (RuntimeException e) {
            LOG.debug("re-list of {} failed ({}); retrying", kind.plural(), e.toString());
            sleep(MAX_BACKOFF_MS / 5);
        }
    }

    /** Re-lists and reports the difference from what was known. */
    private void relist() {
        HttpApiClient.Listing<T> now = client.listWithVersion(kind, namespace, null, fieldSelector);
        Map<String, T> seen = new HashMap<>();
        for (T o : now.items()) {
            seen.put(o.key(), o);
        }
        for (T gone : Map.copyOf(known).values()) {
            if (!seen.containsKey(gone.key())) {
                apply(WatchEvent.Type.DELETED, gone);
            }
        }
        complete = true;
        for (T o : now.items()) {
            apply(known.containsKey(o.key()) ? WatchEvent.Type.MODIFIED : WatchEvent.Type.ADDED, o);
        }
        resourceVersion = now.resourceVersion();
    }

    private static long number(String rv) {
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException | NullPointerException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String newer(String a, String b) {
        try {
            return a == null || a.isEmpty() || Long.parseLong(b) > Long.parseLong(a) ? b : a;
        } catch (NumberFormatException e) {
            return b;
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        InputStream in = current;
        if (in != null) {
            closeQuietly(in);
        }
        thread.interrupt();
        client.forget(this);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The server no longer has the changes after our resourceVersion. */
    private static final class Expired extends RuntimeException {
        Expired() {
            super("resource version expired", null, false, false);
        }
    }
}
