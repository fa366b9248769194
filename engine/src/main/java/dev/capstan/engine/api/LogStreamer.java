package dev.capstan.engine.api;

import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Container;
import dev.capstan.model.Pod;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/namespaces/NS/pods/NAME/log}: checks the pod and container, then copies the
 * {@link LogSource}'s stream to the client as chunked text/plain on a log thread, closing the source when
 * the client goes away.
 */
final class LogStreamer {
    private static final Logger LOG = LoggerFactory.getLogger(LogStreamer.class);

    private LogStreamer() {
    }

    /** Validates on the caller's thread (errors become a Status there), then streams on a log thread. */
    static void start(ChannelHandlerContext ctx, ApiContext api, ApiPath p, String container, boolean follow,
                      Integer tailLines, boolean previous, boolean keepAlive, Runnable onEnd) {
        Pod pod = (Pod) api.objects().current(p);
        String c = container(pod, container);
        if (api.logSource() == null) {
            throw new StoreException(404, "NotFound", "logs of pod \"" + pod.metadata().name()
                    + "\" are not available: this API server has no log source");
        }
        LogSource.LogRequest request = new LogSource.LogRequest(pod, c, follow, tailLines, previous);
        try {
            api.logThreads().execute(() -> copy(ctx, api.logSource(), request, keepAlive, onEnd));
        } catch (RejectedExecutionException e) {
            throw new StoreException(503, "ServiceUnavailable", "the API server is shutting down");
        }
    }

    private static String container(Pod pod, String requested) {
        List<Container> containers = pod.spec() == null ? List.of() : pod.spec().containers();
        List<String> names = containers.stream().map(Container::name).toList();
        if (requested == null || requested.isEmpty()) {
            if (names.size() == 1) {
                return names.get(0);
            }
            if (names.isEmpty()) {
                throw ApiErrors.badRequest("pod \"" + pod.metadata().name() + "\" has no containers");
            }
            throw ApiErrors.badRequest("a container name must be specified for pod " + pod.metadata().name()
                    + ", choose one of: " + names);
        }
        if (!names.contains(requested)) {
            throw ApiErrors.badRequest("container " + requested + " is not valid for pod "
                    + pod.metadata().name());
        }
        return requested;
    }

    private static void copy(ChannelHandlerContext ctx, LogSource source, LogSource.LogRequest request,
                             boolean keepAlive, Runnable onEnd) {
        InputStream in;
        try {
            in = source.open(request);
        } catch (StoreException e) {
            Replies.json(ctx, keepAlive, e.httpStatus(), ApiErrors.status(e));
            ctx.executor().execute(onEnd);
            return;
        } catch (IOException | RuntimeException e) {
            LOG.warn("log source failed for pod {}", request.pod().key(), e);
            Replies.json(ctx, keepAlive, 500, ApiErrors.status(500, "InternalError",
                    "cannot read the log of pod " + request.pod().metadata().name() + ": " + e.getMessage()));
            ctx.executor().execute(onEnd);
            return;
        }
        ChannelFutureListener closeSource = f -> closeQuietly(in);
        ctx.channel().closeFuture().addListener(closeSource);
        Replies.streamHead(ctx, keepAlive, "text/plain; charset=utf-8");
        boolean ok = true;
        try (in) {
            byte[] buf = new byte[8192];
            int n;
            while (ctx.channel().isActive() && (n = in.read(buf)) >= 0) {
                if (n > 0) {
                    ChannelFuture f = ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(buf, 0, n)));
                    if (!ctx.channel().isWritable()) {
                        f.awaitUninterruptibly();
                    }
                }
            }
        } catch (IOException e) {
            ok = false;
            LOG.debug("log stream of pod {} ended: {}", request.pod().key(), e.toString());
        } finally {
            ctx.channel().closeFuture().removeListener(closeSource);
        }
        if (ctx.channel().isActive()) {
            ChannelFuture f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive || !ok) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
        ctx.executor().execute(onEnd);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing only to stop the copy
        }
    }
}
