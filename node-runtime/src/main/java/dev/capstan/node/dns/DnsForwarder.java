package dev.capstan.node.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards queries for names outside the cluster to upstream resolvers as they came (byte for byte but the id):
 * over UDP from one socket of its own, or, for a client that asked over TCP, over TCP ({@link #forwardTcp}). Each
 * query gets a fresh random id towards the upstreams, and its answer goes back with the client's id. An upstream
 * that does not answer within the timeout, cannot be sent to, or answers SERVFAIL or REFUSED is followed by the
 * next one in the list; when the last one fails the client gets SERVFAIL.
 * Answers are kept in a {@link DnsCache} and served from it while fresh; the upstreams are tried in the order
 * {@link UpstreamHealth} gives (one that timed out goes last for a while).
 *
 * <p>Threads: everything runs on the server's one event loop ({@link #forward} must be called there), so the
 * table of queries in flight needs no lock. At most {@link #MAX_IN_FLIGHT} queries wait at once; more get SERVFAIL.
 */
final class DnsForwarder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DnsForwarder.class);
    static final int MAX_IN_FLIGHT = 4096;
    /** At most this many identical queries wait on one in flight; more are forwarded on their own. */
    static final int MAX_SHARERS = 64;

    /** Where an answer goes: takes ownership of the buffer (a whole DNS message with the client's id). */
    interface Reply {
        void send(ByteBuf response);
    }

    private final EventLoop loop;
    private final Channel channel;
    private final DnsForwarding settings;
    private final Duration timeout;
    private final long timeoutNanos;
    private final DnsCache cache;
    private final UpstreamHealth health;
    private final Map<Integer, Pending> inFlight = new HashMap<>();
    private final Map<String, Pending> sameQuery = new HashMap<>(); // the query's bytes but its id -> in flight
    private final Random ids = new SecureRandom();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong shared = new AtomicLong();
    private volatile List<InetSocketAddress> upstreams = List.of();

    DnsForwarder(EventLoopGroup group, DnsForwarding settings, LongSupplier nanos) {
        this.loop = group.next();
        this.settings = settings;
        this.timeout = settings.timeout();
        this.timeoutNanos = timeout.toNanos();
        this.cache = new DnsCache(settings, nanos);
        this.health = new UpstreamHealth(settings.backoff(), settings.maxBackoff(), nanos);
        this.channel = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_535))
                .handler(new Answers()).bind(new InetSocketAddress(0)).syncUninterruptibly().channel();
    }

    void upstreams(List<InetSocketAddress> servers) {
        upstreams = List.copyOf(servers);
    }

    DnsForwarding settings() {
        return settings;
    }

    DnsStats.Cache cacheStats() {
        return cache.stats();
    }

    List<DnsStats.Upstream> upstreamStats() {
        return health.snapshot(upstreams);
    }

    List<InetSocketAddress> upstreams() {
        return upstreams;
    }

    /** Queries sent on to an upstream (not answered from the cache), and of them those answered SERVFAIL here. */
    long forwarded() {
        return forwarded.get();
    }

    long failed() {
        return failed.get();
    }

    /** Queries that were not forwarded but given the answer of an identical one in flight (UDP only). */
    long shared() {
        return shared.get();
    }

    /**
     * Forwards {@code query} (left untouched; copied) to the upstreams and, some time later, hands the answer or a
     * SERVFAIL to {@code reply}, or at once the cached answer. A query identical to one in flight (but for its
     * id: a client's retry, or another client asking the same the same way) waits for that one's answer. Call on
     * the event loop.
     */
    void forward(ByteBuf query, DnsWire.Question question, Reply toClient) {
        assert loop.inEventLoop();
        Reply reply = cached(query, question, true, toClient);
        if (reply == null) {
            return;
        }
        String same = query.toString(query.readerIndex() + 2, query.readableBytes() - 2,
                StandardCharsets.ISO_8859_1);
        Pending leader = sameQuery.get(same);
        if (leader != null && leader.sharers.size() < MAX_SHARERS) {
            shared.incrementAndGet();
            leader.sharers.add(new Sharer(DnsWire.id(query), toClient));
            return;
        }
        forwarded.incrementAndGet();
        List<InetSocketAddress> servers = health.order(upstreams);
        if (servers.isEmpty() || inFlight.size() >= MAX_IN_FLIGHT) {
            failed.incrementAndGet();
            reply.send(DnsWire.error(channel.alloc(), query, question, DnsWire.RCODE_SERVFAIL));
            return;
        }
        int id;
        do {
            id = ids.nextInt(65_536);
        } while (inFlight.containsKey(id));
        ByteBuf copy = channel.alloc().buffer(query.readableBytes()).writeBytes(query, query.readerIndex(),
                query.readableBytes());
        Pending p = new Pending(id, DnsWire.id(query), copy, question, servers, reply, same);
        DnsWire.setId(copy, id);
        inFlight.put(id, p);
        sameQuery.putIfAbsent(same, p);
        send(p);
    }

    /**
     * Forwards {@code query} (left untouched; copied) over TCP, for a client that asked over TCP (typically after
     * a truncated UDP answer): one connection per upstream tried, with the client's own id. Call on the event loop.
     */
    void forwardTcp(ByteBuf query, DnsWire.Question question, Reply toClient) {
        assert loop.inEventLoop();
        Reply reply = cached(query, question, false, toClient);
        if (reply == null) {
            return;
        }
        forwarded.incrementAndGet();
        ByteBuf copy = channel.alloc().buffer(query.readableBytes() + 2).writeShort(query.readableBytes())
                .writeBytes(query, query.readerIndex(), query.readableBytes());
        new TcpAttempt(copy, question, health.order(upstreams), reply).next(null);
    }

    /**
     * Answers {@code query} from the cache (null: done), or the reply to use for the upstream's answer: it keeps
     * the answer in the cache on the way to the client when it may be kept.
     */
    private Reply cached(ByteBuf query, DnsWire.Question question, boolean udp, Reply reply) {
        DnsCache.Asked asked = cache.asked(query, question);
        if (asked == null) {
            return reply;
        }
        ByteBuf hit = cache.get(asked, query, udp, channel.alloc());
        if (hit != null) {
            reply.send(hit);
            return null;
        }
        return answer -> {
            cache.put(asked, answer);
            reply.send(answer);
        };
    }

    /** One TCP-forwarded query going down the list of upstreams. */
    private final class TcpAttempt {
        private final ByteBuf framed; // the query with its 2-byte length
        private final DnsWire.Question question;
        private final List<InetSocketAddress> servers;
        private final Reply reply;
        private int index = -1;
        private boolean settled; // the current upstream has answered or failed
        private Channel current;
        private ScheduledFuture<?> timer;

        TcpAttempt(ByteBuf framed, DnsWire.Question question, List<InetSocketAddress> servers, Reply reply) {
            this.framed = framed;
            this.question = question;
            this.servers = servers;
            this.reply = reply;
        }

        /** The previous upstream failed (null: none tried yet): the next one, or SERVFAIL after the last. */
        void next(String why) {
            if (why != null) {
                log.debug("dns: {} for {} (tcp)", why, question.name());
                stop();
            }
            index++;
            if (index >= servers.size()) {
                failed.incrementAndGet();
                ByteBuf body = framed.slice(2, framed.readableBytes() - 2);
                ByteBuf servfail = DnsWire.error(channel.alloc(), body, question, DnsWire.RCODE_SERVFAIL);
                framed.release();
                reply.send(servfail);
                return;
            }
            settled = false;
            InetSocketAddress to = servers.get(index);
            int attempt = index;
            health.sent(to);
            ChannelFuture connecting = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65_537, 0, 2, 0, 2),
                                    new SimpleChannelInboundHandler<ByteBuf>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf answer) {
                                            answered(attempt, answer);
                                        }

                                        @Override
                                        public void channelInactive(ChannelHandlerContext ctx) {
                                            fail(attempt, to + " closed the connection");
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            fail(attempt, to + ": " + cause);
                                        }
                                    });
                        }
                    }).connect(to);
            current = connecting.channel();
            timer = loop.schedule(() -> fail(attempt, "no answer from " + to), timeoutNanos, TimeUnit.NANOSECONDS);
            connecting.addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    f.channel().writeAndFlush(framed.retainedDuplicate());
                } else {
                    fail(attempt, "cannot connect to " + to + ": " + f.cause());
                }
            });
        }

        private void stop() {
            if (timer != null) {
                timer.cancel(false);
            }
            if (current != null) {
                current.close();
            }
        }

        private void fail(int attempt, String why) {
            if (attempt == index && !settled) {
                settled = true;
                health.failed(servers.get(attempt));
                next(why);
            }
        }

        private void answered(int attempt, ByteBuf answer) {
            if (attempt != index || settled || !DnsWire.isResponse(answer)) {
                return;
            }
            int rcode = DnsWire.rcode(answer);
            boolean failure = rcode == DnsWire.RCODE_SERVFAIL || rcode == DnsWire.RCODE_REFUSED;
            health.answered(servers.get(index), failure);
            settled = true;
            if (failure && index + 1 < servers.size()) {
                next(servers.get(index) + " answered rcode " + rcode);
                return;
            }
            stop();
            framed.release();
            reply.send(answer.retain());
        }
    }

    private void send(Pending p) {
        InetSocketAddress to = p.servers.get(p.attempt);
        p.tried.add(to);
        int attempt = p.attempt;
        health.sent(to);
        p.timer = loop.schedule(() -> next(p, attempt, "no answer from " + to, true), timeoutNanos,
                TimeUnit.NANOSECONDS);
        channel.writeAndFlush(new DatagramPacket(p.query.retainedDuplicate(), to)).addListener(f -> {
            if (!f.isSuccess()) {
                next(p, attempt, "cannot send to " + to + ": " + f.cause(), true);
            }
        });
    }

    /**
     * Attempt {@code attempt} of {@code p} failed ({@code noAnswer}: the upstream is to be marked down): the next
     * upstream, or SERVFAIL after the last.
     */
    private void next(Pending p, int attempt, String why, boolean noAnswer) {
        if (inFlight.get(p.id) != p || p.attempt != attempt) {
            return; // answered meanwhile, or this attempt was already given up
        }
        if (noAnswer) {
            health.failed(p.servers.get(attempt));
        }
        p.timer.cancel(false);
        log.debug("dns: {} for {}", why, p.question.name());
        p.attempt++;
        if (p.attempt < p.servers.size()) {
            send(p);
            return;
        }
        failed.incrementAndGet();
        finish(p, DnsWire.error(channel.alloc(), p.query, p.question, DnsWire.RCODE_SERVFAIL));
    }

    /** {@code p} is done: its client and those sharing it get {@code response} (taken), each with its own id. */
    private void finish(Pending p, ByteBuf response) {
        inFlight.remove(p.id);
        sameQuery.remove(p.same, p);
        p.timer.cancel(false);
        p.query.release();
        for (Sharer s : p.sharers) {
            ByteBuf copy = response.copy();
            DnsWire.setId(copy, s.clientId());
            s.reply().send(copy);
        }
        DnsWire.setId(response, p.clientId);
        p.reply.send(response);
    }

    private final class Answers extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf answer = packet.content();
            if (!DnsWire.isResponse(answer)) {
                return;
            }
            Pending p = inFlight.get(DnsWire.id(answer));
            if (p == null || !p.tried.contains(packet.sender())) {
                return; // late (after SERVFAIL), or not from an upstream this query was sent to
            }
            int rcode = DnsWire.rcode(answer);
            boolean failure = rcode == DnsWire.RCODE_SERVFAIL || rcode == DnsWire.RCODE_REFUSED;
            health.answered(packet.sender(), failure);
            if (failure && p.attempt + 1 < p.servers.size()) {
                next(p, p.attempt, packet.sender() + " answered rcode " + rcode, false);
                return;
            }
            finish(p, answer.retain());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("dns: upstream socket: {}", cause.toString());
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        loop.execute(() -> {
            inFlight.values().forEach(p -> {
                p.timer.cancel(false);
                p.query.release();
            });
            inFlight.clear();
            sameQuery.clear();
        });
    }

    /** A query waiting for the answer of an identical one in flight: its client's id and where the answer goes. */
    private record Sharer(int clientId, Reply reply) {
    }

    /** A query in flight: its id towards the upstreams, the client's id, and which upstream it is at. */
    private static final class Pending {
        final int id;
        final int clientId;
        final ByteBuf query;
        final DnsWire.Question question;
        final List<InetSocketAddress> servers;
        final List<InetSocketAddress> tried = new ArrayList<>(2);
        final Reply reply;
        final String same;
        final List<Sharer> sharers = new ArrayList<>(0);
        int attempt;
        ScheduledFuture<?> timer;

        Pending(int id, int clientId, ByteBuf query, DnsWire.Question question, List<InetSocketAddress> servers,
                Reply reply, String same) {
            this.same = same;
            this.id = id;
            this.clientId = clientId;
            this.query = query;
            this.question = question;
            this.servers = servers;
            this.reply = reply;
        }
    }
}
