package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.engine.store.StoreException;
import dev.capstan.engine.store.WatchEvent;
import dev.capstan.model.Json;
import dev.capstan.model.Kind;
import dev.capstan.model.KubeObject;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One watch response: a chunked stream of {@code {"type":…,"object":…}} lines, one per change, flushed at
 * once. Without a resourceVersion (or with "0") it starts with ADDED for every matching object; with one,
 * it resumes after that version from the {@link WatchCache}. An object that stops matching the selectors
 * is reported DELETED. Ends after the timeout, on a slow reader, or when the client goes away.
 * All state is touched only on the connection's executor.
 */
final class WatchStream implements WatchCache.Subscriber {

    /** What the request asked for. {@code tableVersion} null means plain objects. */
    record Params(ApiPath path, String resourceVersion, Predicate<Map<String, String>> labels,
                  Predicate<JsonNode> fields, boolean selective, String tableVersion, Tables.Include include,
                  Duration timeout, boolean bookmarks) {
    }

    private final ChannelHandlerContext ctx;
    private final EventExecutor executor;
    private final ApiContext api;
    private final Params p;
    private final boolean keepAlive;
    private final Runnable onEnd;
    private final Map<String, Long> sent = new HashMap<>();
    private final ArrayDeque<WatchCache.Entry> queue = new ArrayDeque<>();
    private boolean drainScheduled;
    private boolean draining;
    private WatchCache.KindWindow window;
    private long fromRv = -1;
    private long progressRv;
    private boolean complete;
    private boolean ended;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> bookmarks;

    WatchStream(ChannelHandlerContext ctx, ApiContext api, Params p, boolean keepAlive, Runnable onEnd) {
        this.ctx = ctx;
        this.executor = ctx.executor();
        this.api = api;
        this.p = p;
        this.keepAlive = keepAlive;
        this.onEnd = onEnd;
    }

    /** Runs on the connection's executor. */
    void start() {
        Kind<?> kind = p.path().kind();
        window = api.watchCache().window(kind);
        String rv = p.resourceVersion();
        boolean fresh = rv == null || rv.isEmpty() || rv.equals("0");
        if (!fresh && !rv.chars().allMatch(Character::isDigit)) {
            throw ApiErrors.badRequest("resourceVersion: Invalid value: \"" + rv + "\": must be a number");
        }
        Replies.streamHead(ctx, keepAlive, Replies.JSON);
        ctx.channel().closeFuture().addListener(f -> run(() -> end(false)));
        try {
            if (fresh) {
                window.subscribe(this, -1);
                progressRv = WatchCache.parse(api.store().resourceVersion());
                complete = true;
                List<? extends KubeObject> now = api.store().list(kind, p.path().namespace());
                draining = true;
                try {
                    now.stream().sorted(Comparator.comparing(KubeObject::key)).forEach(o ->
                            deliver(new WatchCache.Entry(WatchEvent.Type.ADDED, o,
                                    WatchCache.parse(o.metadata().resourceVersion()), 0)));
                } finally {
                    draining = false;
                }
                flush();
            } else {
                fromRv = Long.parseLong(rv);
                progressRv = fromRv;
                long newest = WatchCache.parse(api.store().resourceVersion());
                if (fromRv > newest) {
                    // the store was rebuilt since the client listed: its versions mean nothing here
                    throw ApiErrors.expired("resource version " + fromRv + " is newer than the store's (" + newest
                            + "); re-list");
                }
                if (p.selective()) {
                    for (KubeObject o : api.store().list(kind, p.path().namespace())) {
                        long orv = WatchCache.parse(o.metadata().resourceVersion());
                        if (orv <= fromRv && matches(o, Json.MAPPER.valueToTree(o))) {
                            sent.put(o.key(), orv);
                        }
                    }
                }
                window.subscribe(this, fromRv);
            }
        } catch (StoreException e) {
            emitRaw("ERROR", ApiErrors.status(e));
            end(false);
            return;
        } catch (RuntimeException e) {
            emitRaw("ERROR", ApiErrors.status(500, "InternalError", "watch failed: " + e));
            end(true);
            return;
        }
        timeout = executor.schedule(() -> end(false), p.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (p.bookmarks()) {
            long every = api.bookmarkInterval().toMillis();
            bookmarks = executor.scheduleAtFixedRate(this::bookmark, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Called on store threads: queue the change and make sure one drain is scheduled. */
    @Override
    public void offer(WatchCache.Entry entry) {
        synchronized (queue) {
            queue.addLast(entry);
            if (drainScheduled) {
                return;
            }
            drainScheduled = true;
        }
        run(this::drain);
    }

    /** Writes every queued change, then flushes once. Never re-entered: a nested call leaves it to the outer. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (true) {
                WatchCache.Entry e;
                synchronized (queue) {
                    e = queue.pollFirst();
                    if (e == null) {
                        drainScheduled = false;
                        break;
                    }
                }
                deliver(e);
            }
        } finally {
            draining = false;
        }
        flush();
    }

    private void flush() {
        if (ended) {
            return;
        }
        ctx.flush();
        if (!ctx.channel().isWritable()) {
            // the client reads slower than changes come: drop it, it will re-watch
            end(true);
        }
    }

    private void run(Runnable r) {
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            // the server is shutting down; the connection goes with it
        }
    }

    private boolean matches(KubeObject o, JsonNode tree) {
        return p.labels().test(o.metadata().labels()) && p.fields().test(tree);
    }

    private void deliver(WatchCache.Entry e) {
        if (ended) {
            return;
        }
        KubeObject o = e.object;
        String ns = p.path().namespace();
        if (ns != null && !ns.equals(o.metadata().namespace())) {
            return;
        }
        progressRv = Math.max(progressRv, e.type == WatchEvent.Type.DELETED ? e.windowRv : e.rv);
        if (e.type != WatchEvent.Type.DELETED && e.rv <= fromRv) {
            return;
        }
        String key = o.key();
        boolean matches = !p.selective() || matches(o, e.tree());
        Long prev = sent.get(key);
        if (e.type == WatchEvent.Type.DELETED) {
            if (matches || prev != null) {
                sent.remove(key);
                emit("DELETED", o);
            }
            return;
        }
        if (prev != null && e.rv <= prev) {
            return;
        }
        if (!matches) {
            if (prev != null) {
                sent.remove(key);
                emit("DELETED", o);
            }
            return;
        }
        String type = complete ? (prev == null ? "ADDED" : "MODIFIED") : e.type.name();
        sent.put(key, e.rv);
        emit(type, o);
    }

    private void bookmark() {
        long newest = window.newest();
        run(() -> {
            if (!ended) {
                progressRv = Math.max(progressRv, newest);
                ObjectNode o = Json.MAPPER.createObjectNode();
                Kind<?> kind = p.path().kind();
                o.put("kind", p.tableVersion() != null ? "Table" : kind.kind());
                o.put("apiVersion", p.tableVersion() != null ? p.tableVersion() : kind.apiVersion());
                o.putObject("metadata").put("resourceVersion", Long.toString(progressRv));
                emitRaw("BOOKMARK", o);
                flush();
            }
        });
    }

    private void emit(String type, KubeObject o) {
        JsonNode body = p.tableVersion() == null ? Json.MAPPER.valueToTree(o)
                : Tables.table(p.tableVersion(), p.path().kind(), List.of(o), o.metadata().resourceVersion(),
                        p.include(), api.clock().instant());
        emitRaw(type, body);
    }

    private void emitRaw(String type, JsonNode object) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("type", type);
        event.set("object", object);
        byte[] line = Json.bytes(event);
        ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(line, new byte[] {'\n'})));
    }

    /** Ends the stream once; the connection stays open for the next request when it can. */
    void end(boolean close) {
        if (ended) {
            return;
        }
        ended = true;
        if (window != null) {
            window.unsubscribe(this);
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (bookmarks != null) {
            bookmarks.cancel(false);
        }
        if (ctx.channel().isActive()) {
            var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (close || !keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
        onEnd.run();
    }
}
