package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Writes responses: whole JSON or text bodies, and the head of a chunked stream. */
final class Replies {
    static final String JSON = "application/json";

    private Replies() {
    }

    static FullHttpResponse full(int code, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        HttpUtil.setContentLength(r, body.length);
        return r;
    }

    static void json(ChannelHandlerContext ctx, boolean keepAlive, int code, JsonNode body) {
        send(ctx, keepAlive, full(code, JSON, Json.bytes(body)));
    }

    /** A JSON reply with one {@code Warning: 299 - "text"} header per warning (as Kubernetes; kubectl prints them). */
    static void json(ChannelHandlerContext ctx, boolean keepAlive, int code, JsonNode body,
                     java.util.List<String> warnings) {
        FullHttpResponse r = full(code, JSON, Json.bytes(body));
        for (String w : warnings) {
            r.headers().add(HttpHeaderNames.WARNING, "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"")
                    .replaceAll("[\\r\\n]+", " ") + "\"");
        }
        send(ctx, keepAlive, r);
    }

    static void text(ChannelHandlerContext ctx, boolean keepAlive, int code, String body) {
        send(ctx, keepAlive, full(code, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8)));
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The head of a chunked response (a watch or a followed log); the body follows as HttpContent. */
    static void streamHead(ChannelHandlerContext ctx, boolean keepAlive, String contentType) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        r.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        HttpUtil.setTransferEncodingChunked(r, true);
        ctx.writeAndFlush(r);
    }
}
