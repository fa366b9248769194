package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.Json;
import dev.capstan.model.Kinds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The API server's pipeline on a Netty {@link EmbeddedChannel} over an {@link InMemoryStateStore}: raw HTTP
 * in, decoded responses out, no sockets. Tasks (watch events, timeouts) run when the test says so.
 */
final class EmbeddedApi implements AutoCloseable {
    static final String ADMIN = "admin-token";
    static final String USER = "user-token";
    static final String CONTROLLER = "controller-token";
    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

    final InMemoryStateStore store;
    final ApiServer server;
    final EmbeddedChannel channel;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder());
    private Response pending;

    EmbeddedApi() {
        this(new InMemoryStateStore(), b -> { });
    }

    EmbeddedApi(InMemoryStateStore store, Consumer<ApiServer.Builder> settings) {
        this.store = store;
        ApiServer.Builder b = ApiServer.builder(store).plainHttp().adminToken(ADMIN)
                .token(USER, Identity.user("alice")).token(CONTROLLER, Identity.controller("git-sync"));
        settings.accept(b);
        server = b.build();
        server.context().watchCache().start(Kinds.ALL);
        channel = new EmbeddedChannel();
        // copy each written buffer at once: pooled buffers may be reused before the test reads the queue
        channel.pipeline().addFirst("copy", new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof ByteBuf b) {
                    ByteBuf copy = Unpooled.copiedBuffer(b);
                    b.release();
                    ctx.write(copy, promise);
                } else {
                    ctx.write(msg, promise);
                }
            }
        });
        ApiServer.pipeline(channel.pipeline(), server.context(), null);
    }

    /** What came back so far; {@code complete} once the last chunk arrived. */
    static final class Response {
        int status;
        HttpHeaders headers;
        final StringBuilder body = new StringBuilder();
        boolean complete;

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        /** The body's lines (for watch streams) as JSON. */
        List<JsonNode> lines() {
            List<JsonNode> out = new ArrayList<>();
            for (String l : body.toString().split("\n")) {
                if (!l.isBlank()) {
                    try {
                        out.add(Json.MAPPER.readTree(l));
                    } catch (IOException e) {
                        throw new UncheckedIOException("not JSON: " + l, e);
                    }
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response get(String uri) {
        return call("GET", uri, ADMIN, null, null);
    }

    Response call(String method, String uri, String token, String accept, String body) {
        return call(method, uri, token, accept, body, java.util.Map.of());
    }

    /** A request with extra headers (webhook signatures). */
    Response call(String method, String uri, String token, String accept, String body,
                  java.util.Map<String, String> headers) {
        StringBuilder req = new StringBuilder(method + " " + uri + " HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        if (token != null) {
            req.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (accept != null) {
            req.append("Accept: ").append(accept).append("\r\n");
        }
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            req.append("Content-Type: application/json\r\n");
        }
        req.append("Content-Length: ").append(b.length).append("\r\n\r\n");
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(req.toString().getBytes(StandardCharsets.UTF_8)).writeBytes(b);
        pending = new Response();
        channel.writeInbound(in);
        return poll();
    }

    /** Runs queued tasks and adds whatever the server wrote since to the last response. */
    Response poll() {
        channel.runPendingTasks();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            decoder.writeInbound(out);
        }
        Object o;
        while ((o = decoder.readInbound()) != null) {
            if (o instanceof HttpResponse r) {
                pending.status = r.status().code();
                pending.headers = r.headers();
            }
            if (o instanceof HttpContent c) {
                pending.body.append(c.content().toString(StandardCharsets.UTF_8));
                c.release();
                if (c instanceof LastHttpContent) {
                    pending.complete = true;
                }
            }
        }
        return pending;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        server.close();
    }
}
