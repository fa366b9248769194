package dev.capstan.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.engine.store.StoreException;
import dev.capstan.model.Json;
import dev.capstan.model.KubeObject;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: health, authentication, discovery, then the resource verbs. Every refusal
 * is a Kubernetes Status; nothing unexpected reaches the client as more than a one-line message.
 * Runs on the connection's worker executor, so store calls may block.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Set<String> HEALTH = Set.of("/healthz", "/livez", "/readyz");
    private static final Set<String> TRUE = Set.of("true", "1", "t", "True", "TRUE");

    private final ApiContext api;
    private boolean streaming;

    ApiHandler(ApiContext api) {
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (streaming) {
            LOG.debug("request while a stream is open on {}; closing", ctx.channel());
            ctx.close();
            return;
        }
        try {
            if (req.decoderResult().isFailure()) {
                throw ApiErrors.badRequest("malformed HTTP request: " + req.decoderResult().cause().getMessage());
            }
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            String path = q.path().length() > 1 && q.path().endsWith("/")
                    ? q.path().substring(0, q.path().length() - 1) : q.path();
            if (HEALTH.contains(path)) {
                requireGet(req);
                Replies.text(ctx, keepAlive, 200, "ok");
                return;
            }
            if (path.equals(WebhookReceiver.PATH)) { // authenticated by its signature, not a token
                WebhookReceiver.Reply r = api.webhooks().receive(req, remote(ctx));
                Replies.json(ctx, keepAlive, r.code(), ApiErrors.status(r.code(), null, r.message()));
                return;
            }
            Identity who = api.authenticator().authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (who == null) {
                throw ApiErrors.unauthorized();
            }
            if (path.equals("/metrics")) {
                requireGet(req);
                if (api.metrics() == null) {
                    throw ApiErrors.noSuchPath();
                }
                Replies.send(ctx, keepAlive, Replies.full(200, "text/plain; version=0.0.4; charset=utf-8",
                        api.metrics().get().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                return;
            }
            Optional<JsonNode> discovery = discovery(ctx, req, path);
            if (discovery.isPresent()) {
                Replies.json(ctx, keepAlive, 200, discovery.get());
                return;
            }
            ApiPath p = ApiPath.parse(path).orElseThrow(ApiErrors::noSuchPath);
            resource(ctx, req, q, p, who, keepAlive);
        } catch (StoreException e) {
            Replies.json(ctx, keepAlive, e.httpStatus(), ApiErrors.status(e));
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", req.method(), req.uri(), e);
            Replies.json(ctx, keepAlive, 500, ApiErrors.status(500, "InternalError",
                    "internal error: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
    }

    private Optional<JsonNode> discovery(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        List<String> seg = ApiPath.segments(path);
        Optional<JsonNode> doc = Optional.empty();
        if (path.equals("/version")) {
            doc = Optional.of(Discovery.version());
        } else if (path.equals("/api")) {
            doc = Optional.of(Discovery.coreVersions(serverAddress(ctx, req)));
        } else if (path.equals("/apis")) {
            doc = Optional.of(Discovery.groupList());
        } else if (seg.size() == 2 && seg.get(0).equals("api")) {
            doc = Optional.of(Discovery.resourceList("", seg.get(1)).orElseThrow(ApiErrors::noSuchPath));
        } else if (seg.size() == 2 && seg.get(0).equals("apis")) {
            doc = Optional.of(Discovery.group(seg.get(1)).orElseThrow(ApiErrors::noSuchPath));
        } else if (seg.size() == 3 && seg.get(0).equals("apis")) {
            doc = Optional.of(Discovery.resourceList(seg.get(1), seg.get(2)).orElseThrow(ApiErrors::noSuchPath));
        } else if (seg.isEmpty() || seg.get(0).equals("openapi")) {
            throw ApiErrors.noSuchPath();
        }
        if (doc.isPresent()) {
            requireGet(req);
        }
        return doc;
    }

    private static String remote(ChannelHandlerContext ctx) {
        return String.valueOf(ctx.channel().remoteAddress()).replaceFirst("^/", "");
    }

    private static String serverAddress(ChannelHandlerContext ctx, FullHttpRequest req) {
        String host = req.headers().get(HttpHeaderNames.HOST);
        return host != null ? host : String.valueOf(ctx.channel().localAddress()).replaceFirst("^/", "");
    }

    private void resource(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder q, ApiPath p,
                          Identity who, boolean keepAlive) {
        HttpMethod m = req.method();
        boolean watch = isTrue(param(q, "watch"));
        String verb = verb(m, p, watch);
        Authorizer.Decision d = api.authorizer().authorize(who,
                new RequestAttributes(verb, p.kind(), p.namespace(), p.name(), p.subresource()));
        if (!d.allowed()) {
            throw ApiErrors.forbidden(d.reason());
        }
        String table = Tables.requested(req.headers().get(HttpHeaderNames.ACCEPT));
        Tables.Include include = Tables.include(param(q, "includeObject"));
        byte[] body = ByteBufUtil.getBytes(req.content());
        ObjectApi objects = api.objects();
        switch (verb) {
            case "list" -> Replies.json(ctx, keepAlive, 200, objects.list(p, param(q, "labelSelector"),
                    param(q, "fieldSelector"), table, include));
            case "watch" -> watch(ctx, q, p, table, include, keepAlive);
            case "get" -> {
                if ("log".equals(p.subresource())) {
                    streaming = true;
                    try {
                        LogStreamer.start(ctx, api, p, param(q, "container"), isTrue(param(q, "follow")),
                                tailLines(param(q, "tailLines")), isTrue(param(q, "previous")), keepAlive,
                                () -> streaming = false);
                    } catch (RuntimeException e) {
                        streaming = false;
                        throw e;
                    }
                } else {
                    Replies.json(ctx, keepAlive, 200, objects.get(p, table, include));
                }
            }
            case "create" -> Replies.json(ctx, keepAlive, 201, tree(objects.create(p, body)), objects.warnings());
            case "update" -> Replies.json(ctx, keepAlive, 200, tree("status".equals(p.subresource())
                    ? objects.updateStatus(p, body) : objects.update(p, body)), objects.warnings());
            case "delete" -> Replies.json(ctx, keepAlive, 200, tree(objects.delete(p, body)));
            default -> throw ApiErrors.methodNotAllowed();
        }
    }

    /** Kubernetes' verb for a method on a path; 405 when the pair is not served. */
    private static String verb(HttpMethod m, ApiPath p, boolean watch) {
        if (p.isCollection()) {
            if (m.equals(HttpMethod.GET)) {
                return watch ? "watch" : "list";
            }
            if (m.equals(HttpMethod.POST) && (p.namespace() != null || !p.kind().namespaced())) {
                return "create";
            }
            throw ApiErrors.methodNotAllowed();
        }
        if ("log".equals(p.subresource())) {
            if (m.equals(HttpMethod.GET)) {
                return "get";
            }
            throw ApiErrors.methodNotAllowed();
        }
        if (m.equals(HttpMethod.GET)) {
            return "get";
        }
        if (m.equals(HttpMethod.PUT)) {
            return "update";
        }
        if (m.equals(HttpMethod.DELETE) && p.subresource() == null) {
            return "delete";
        }
        throw ApiErrors.methodNotAllowed();
    }

    private void watch(ChannelHandlerContext ctx, QueryStringDecoder q, ApiPath p, String table,
                       Tables.Include include, boolean keepAlive) {
        String labels = param(q, "labelSelector");
        String fields = param(q, "fieldSelector");
        Duration timeout = api.defaultWatchTimeout();
        String ts = param(q, "timeoutSeconds");
        if (ts != null && !ts.isEmpty()) {
            try {
                long s = Long.parseLong(ts);
                if (s > 0) {
                    timeout = Duration.ofSeconds(s);
                }
            } catch (NumberFormatException e) {
                throw ApiErrors.badRequest("timeoutSeconds must be a whole number of seconds, not \"" + ts + "\"");
            }
        }
        WatchStream.Params params = new WatchStream.Params(p, param(q, "resourceVersion"),
                Selectors.labels(labels), Selectors.fields(p.kind(), fields),
                (labels != null && !labels.isBlank()) || (fields != null && !fields.isBlank()),
                table, include, timeout, isTrue(param(q, "allowWatchBookmarks")));
        streaming = true;
        try {
            new WatchStream(ctx, api, params, keepAlive, () -> streaming = false).start();
        } catch (RuntimeException e) {
            streaming = false;
            throw e;
        }
    }

    private static Integer tailLines(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw ApiErrors.badRequest("tailLines must be a whole number of lines, not \"" + s + "\"");
    }

    private static void requireGet(FullHttpRequest req) {
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            throw ApiErrors.methodNotAllowed();
        }
    }

    private static boolean isTrue(String v) {
        return v != null && TRUE.contains(v);
    }

    private static String param(QueryStringDecoder q, String name) {
        List<String> v = q.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static JsonNode tree(KubeObject o) {
        return Json.MAPPER.valueToTree(o);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
