package dev.capstan.engine.api;

import dev.capstan.engine.controller.builtin.NodePortRange;
import dev.capstan.engine.store.StateStore;
import dev.capstan.model.Kinds;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Capstan's API server: Kubernetes-compatible HTTP/1.1 + JSON over a {@link StateStore}, so kubectl can
 * read it. Build with {@link #builder}, then {@link #start()}; {@link #port()} is the bound port (useful
 * with port 0); {@link #close()} stops it. Thread-safe.
 *
 * <p>HTTPS by default (kubectl sends tokens only over TLS): a self-signed certificate unless
 * {@link Builder#tls} gives one; clients trust {@code tls().get().certificatePem()}.
 *
 * <pre>{@code
 * try (ApiServer api = ApiServer.builder(store).bind("127.0.0.1", 6443).adminToken(token).build().start()) {
 *     ... api.url() ...
 * }
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {

    private final Builder b;
    private final ApiContext context;
    private final ChannelGroup channels = new DefaultChannelGroup("capstan-api", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup boss;
    private EventLoopGroup io;
    private EventExecutorGroup workers;
    private Channel server;
    private volatile int port = -1;
    private final ServerTls tls;
    private final SslContext ssl;

    private ApiServer(Builder b) {
        this.b = b;
        this.tls = b.plainHttp ? null : b.tls != null ? b.tls : ServerTls.selfSigned(List.of(b.host));
        this.ssl = tls == null ? null : tls.nettyContext();
        Map<String, Identity> tokens = new LinkedHashMap<>(b.tokens);
        tokens.put(b.adminToken, Identity.admin());
        ExecutorService logThreads = Executors.newCachedThreadPool(threads("capstan-api-logs"));
        this.context = new ApiContext(b.store, new WatchCache(b.store, b.watchWindow), new TokenAuthenticator(tokens),
                b.authorizer.and(b.gitWriteGuard), b.logSource, logThreads, b.maxBodyBytes, b.watchTimeout,
                b.bookmarkInterval, b.clock,
                new WebhookReceiver(b.webhookSecret, b.webhookBranch, b.webhookListener), b.podAdmission,
                b.nodePortRange, b.metrics);
    }

    /** A server over {@code store}; set at least the admin token. */
    public static Builder builder(StateStore store) {
        return new Builder(store);
    }

    /** A server on {@code host:port} (0 = any free port) with one admin token and the default hooks. */
    public static ApiServer create(StateStore store, String host, int port, String adminToken) {
        return builder(store).bind(host, port).adminToken(adminToken).build();
    }

    /** Subscribes to the store and binds; throws {@link java.io.UncheckedIOException} when the port is taken. */
    public synchronized ApiServer start() {
        if (server != null) {
            return this;
        }
        context.watchCache().start(Kinds.ALL);
        boss = new MultiThreadIoEventLoopGroup(1, threads("capstan-api-accept"), NioIoHandler.newFactory());
        io = new MultiThreadIoEventLoopGroup(b.ioThreads, threads("capstan-api-io"), NioIoHandler.newFactory());
        workers = new DefaultEventExecutorGroup(b.workerThreads, threads("capstan-api-worker"));
        ServerBootstrap sb = new ServerBootstrap().group(boss, io).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 16 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        pipeline(ch.pipeline(), context, workers);
                    }
                });
        try {
            server = sb.bind(new InetSocketAddress(b.host, b.port)).syncUninterruptibly().channel();
        } catch (Exception e) {
            close();
            java.io.IOException cause = e instanceof java.io.IOException ioe ? ioe : new java.io.IOException(e);
            throw new java.io.UncheckedIOException("cannot listen on " + b.host + ":" + b.port + ": "
                    + e.getMessage(), cause);
        }
        port = ((InetSocketAddress) server.localAddress()).getPort();
        return this;
    }

    /** The handlers of one connection; {@code workers} null runs the API on the I/O thread (tests). */
    static void pipeline(ChannelPipeline p, ApiContext context, EventExecutorGroup workers) {
        p.addLast("http", new HttpServerCodec());
        p.addLast("body", new BodyLimit(context.maxBodyBytes()));
        if (workers == null) {
            p.addLast("api", new ApiHandler(context));
        } else {
            p.addLast(workers, "api", new ApiHandler(context));
        }
    }

    /** The bound port; -1 before {@link #start()}. */
    public int port() {
        return port;
    }

    public String host() {
        return b.host;
    }

    /** {@code https://host:port} ({@code http://} with {@link Builder#plainHttp()}), for clients and kubeconfigs. */
    public URI url() {
        String h = b.host.contains(":") ? "[" + b.host + "]" : b.host;
        if (h.equals("0.0.0.0") || h.equals("[::]")) {
            h = "127.0.0.1";
        }
        return URI.create((tls == null ? "http://" : "https://") + h + ":" + port);
    }

    /** The TLS identity clients must trust ({@link ServerTls#certificatePem()}); empty with plain HTTP. */
    public Optional<ServerTls> tls() {
        return Optional.ofNullable(tls);
    }

    ApiContext context() {
        return context;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
            server = null;
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        context.watchCache().close();
        context.logThreads().shutdownNow();
        for (EventExecutorGroup g : new EventExecutorGroup[] {boss, io, workers}) {
            if (g != null) {
                g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        boss = null;
        io = null;
        workers = null;
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Settings of an {@link ApiServer}; everything but the admin token has a default. */
    public static final class Builder {
        private final StateStore store;
        private String host = "127.0.0.1";
        private int port = 6443;
        private String adminToken;
        private final Map<String, Identity> tokens = new LinkedHashMap<>();
        private Authorizer authorizer = Authorizer.allowAll();
        private Authorizer gitWriteGuard = GitWriteGuard.defaults();
        private LogSource logSource;
        private int maxBodyBytes = 3 * 1024 * 1024;
        private int watchWindow = 1000;
        private Duration watchTimeout = Duration.ofMinutes(30);
        private Duration bookmarkInterval = Duration.ofMinutes(1);
        private int ioThreads = 2;
        private int workerThreads = 8;
        private Clock clock = Clock.systemUTC();
        private ServerTls tls;
        private boolean plainHttp;
        private String webhookSecret;
        private String webhookBranch;
        private WebhookListener webhookListener;
        private PodAdmission podAdmission = PodAdmission.allowAll();
        private NodePortRange nodePortRange = NodePortRange.defaults();
        private java.util.function.Supplier<String> metrics;

        private Builder(StateStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Where to listen; port 0 picks a free one (read it back with {@link ApiServer#port()}). */
        public Builder bind(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /** The token that may do everything (required). */
        public Builder adminToken(String token) {
            this.adminToken = token;
            return this;
        }

        /** Another accepted bearer token and who it stands for. */
        public Builder token(String token, Identity who) {
            tokens.put(Objects.requireNonNull(token, "token"), Objects.requireNonNull(who, "who"));
            return this;
        }

        /** Decides what each identity may do; default allows every authenticated request. */
        public Builder authorizer(Authorizer authorizer) {
            this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        /**
         * Refuses direct writes to the desired state Git owns; default {@link GitWriteGuard#defaults()}.
         * Use {@code new GitWriteGuard("<repo> <path>")} to name the repository, or
         * {@link Authorizer#allowAll()} to switch the guard off.
         */
        public Builder gitWriteGuard(Authorizer guard) {
            this.gitWriteGuard = Objects.requireNonNull(guard, "guard");
            return this;
        }

        /** Where pod logs come from; without one, the log endpoint answers 404. */
        public Builder logSource(LogSource source) {
            this.logSource = source;
            return this;
        }

        /** The largest request body accepted (default 3 MiB); larger gets 413. */
        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** How many recent changes per kind a watch can resume from (default 1000). */
        public Builder watchWindow(int changesPerKind) {
            this.watchWindow = changesPerKind;
            return this;
        }

        /** How long a watch without {@code timeoutSeconds} lasts (default 30 minutes). */
        public Builder watchTimeout(Duration timeout) {
            this.watchTimeout = timeout;
            return this;
        }

        /** How often a watch that allows bookmarks gets one (default 1 minute). */
        public Builder bookmarkInterval(Duration interval) {
            this.bookmarkInterval = interval;
            return this;
        }

        /** Threads for request handling (store calls may block them); default 8. */
        public Builder workerThreads(int n) {
            this.workerThreads = n;
            return this;
        }

        /**
         * Serves HTTPS with this key and certificate. Without it the server makes a self-signed certificate
         * for localhost, 127.0.0.1, ::1 and the bind host at construction.
         */
        public Builder tls(ServerTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            this.plainHttp = false;
            return this;
        }

        /**
         * Serves plain HTTP. Only for tests and local tools: kubectl will not send a token to an
         * {@code http://} server, so kubectl cannot authenticate.
         */
        public Builder plainHttp() {
            this.plainHttp = true;
            this.tls = null;
            return this;
        }

        /**
         * Serves {@code POST /webhooks/git} for GitHub, Gitea and GitLab push events signed with {@code secret}
         * (no bearer token needed); a good push to {@code branch} (null: any branch) calls {@code listener}.
         * Without a secret the endpoint answers 404 saying how to enable it.
         */
        public Builder webhook(String secret, String branch, WebhookListener listener) {
            this.webhookSecret = secret;
            this.webhookBranch = branch;
            this.webhookListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Serves {@code GET /metrics} (authenticated, like {@code kubectl get --raw /metrics}) with the text
         * {@code source} gives at each request, in Prometheus' text format. Without one, {@code /metrics} is 404.
         */
        public Builder metrics(java.util.function.Supplier<String> source) {
            this.metrics = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Reviews pods written through the API (creates, and updates that change the spec or labels; not
         * {@code /status} writes): a denial is answered 403 Forbidden, warnings go in {@code Warning} headers.
         * Default {@link PodAdmission#allowAll()}; {@link PodAdmission#policies} applies admission policies.
         */
        public Builder podAdmission(PodAdmission admission) {
            this.podAdmission = Objects.requireNonNull(admission, "admission");
            return this;
        }

        /**
         * The node ports a Service written through the API may set (default {@value NodePortRange#DEFAULT}); a
         * number outside it, or one another Service holds, is answered 422 Invalid, as Kubernetes does.
         */
        public Builder nodePortRange(String range) {
            this.nodePortRange = NodePortRange.parse(range);
            return this;
        }

        /** The clock tables compute ages with (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ApiServer build() {
            if (adminToken == null || adminToken.isBlank()) {
                throw new IllegalArgumentException("the API server needs an admin token");
            }
            return new ApiServer(this);
        }
    }
}
