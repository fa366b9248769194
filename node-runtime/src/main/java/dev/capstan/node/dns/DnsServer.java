package dev.capstan.node.dns;

import dev.capstan.model.Service;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsPtrRecord;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster DNS server on one address, UDP and TCP, answering from {@link DnsRecords} (replaced as a whole by
 * {@link #update}). Records carry a 5-second TTL, so a Service's new address is seen quickly. Names outside the
 * cluster are forwarded to the upstreams given to {@link #forwardTo} (as they came, see
 * {@link DnsForwarder}; answers cached, upstreams that time out tried last for a while, see {@link DnsForwarding}),
 * or answered REFUSED when there are none. {@link #stats} has the counters.
 */
public final class DnsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    static final long TTL_SECONDS = 5;
    /** How long one upstream has to answer before the next one is asked. */
    public static final Duration UPSTREAM_TIMEOUT = DnsForwarding.DEFAULTS.timeout();

    private final EventLoopGroup group;
    private final Channel udp;
    private final Channel tcp;
    private volatile DnsRecords records;
    private final AtomicLong queries = new AtomicLong();
    private volatile DnsForwarder forwarder;
    private final LongSupplier nanos;

    private DnsServer(String domain, InetSocketAddress address, LongSupplier nanos) {
        this.records = DnsRecords.empty(domain);
        this.nanos = nanos;
        this.group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "capstan-dns");
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
        try {
            udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline().addLast(new UdpForward(), new DatagramDnsQueryDecoder(),
                                    new DatagramDnsResponseEncoder(), new UdpHandler());
                        }
                    }).bind(address).syncUninterruptibly().channel();
            InetSocketAddress bound = (InetSocketAddress) udp.localAddress();
            tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65_535 + 2, 0, 2, 0, 0),
                                    new TcpForward(), new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                                    new TcpHandler());
                        }
                    }).bind(bound).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Starts a server on {@code address} (port 0: any free port, the same for UDP and TCP) for {@code domain}.
     * Fails (an unchecked exception with the reason) when the address cannot be bound.
     */
    public static DnsServer start(InetSocketAddress address, String domain) {
        return start(address, domain, System::nanoTime);
    }

    /** The same with a clock of the tests' (nanoseconds, as {@link System#nanoTime}) for the cache and back-offs. */
    static DnsServer start(InetSocketAddress address, String domain, LongSupplier nanos) {
        DnsServer s = new DnsServer(domain, address, nanos);
        log.info("cluster DNS on {} (udp and tcp) for *.svc.{}", s.address(), domain);
        return s;
    }

    /** The address listened on (UDP and TCP). */
    public InetSocketAddress address() {
        return (InetSocketAddress) udp.localAddress();
    }

    public String domain() {
        return records.domain();
    }

    /** Serves exactly these Services from now on. */
    public void update(Collection<Service> services) {
        records = DnsRecords.of(records.domain(), services);
    }

    public long queries() {
        return queries.get();
    }

    /**
     * Forwards names outside the cluster to {@code upstreams} from now on, in order, each given {@code timeout},
     * with the other {@link DnsForwarding#DEFAULTS}.
     *
     * @return the upstreams in use
     */
    public List<InetSocketAddress> forwardTo(List<InetSocketAddress> upstreams, Duration timeout) {
        return forwardTo(upstreams, DnsForwarding.DEFAULTS.withTimeout(timeout));
    }

    /**
     * Forwards names outside the cluster to {@code upstreams} from now on, in order (but see
     * {@link DnsForwarding#backoff}), as {@code settings} say; the server's own address is left out (no loops). An
     * empty list: such names are answered REFUSED. New settings start with an empty cache.
     *
     * @return the upstreams in use
     */
    public synchronized List<InetSocketAddress> forwardTo(List<InetSocketAddress> upstreams, DnsForwarding settings) {
        List<InetSocketAddress> use = DnsUpstreams.withoutSelf(upstreams, address());
        DnsForwarder f = forwarder;
        if (use.isEmpty()) {
            forwarder = null;
        } else {
            if (f == null || !f.settings().equals(settings)) {
                DnsForwarder created = new DnsForwarder(group, settings, nanos);
                created.upstreams(use);
                forwarder = created;
            } else {
                f.upstreams(use);
                f = null;
            }
        }
        if (f != null) {
            f.close();
        }
        return use;
    }

    /** The upstreams names outside the cluster go to; empty when they are refused. */
    public List<InetSocketAddress> upstreams() {
        DnsForwarder f = forwarder;
        return f == null ? List.of() : f.upstreams();
    }

    /** Queries forwarded to upstreams, and of them those this server answered SERVFAIL (every upstream failed). */
    public long forwarded() {
        DnsForwarder f = forwarder;
        return f == null ? 0 : f.forwarded();
    }

    public long forwardFailures() {
        DnsForwarder f = forwarder;
        return f == null ? 0 : f.failed();
    }

    /** The counters now (any thread): queries, the cache's hits and misses, each upstream's failures. */
    public DnsStats stats() {
        DnsForwarder f = forwarder;
        if (f == null) {
            return new DnsStats(queries(), 0, 0, 0, DnsStats.Cache.NONE, List.of());
        }
        return new DnsStats(queries(), f.forwarded(), f.failed(), f.shared(), f.cacheStats(), f.upstreamStats());
    }

    /** The forwarder when {@code q} is a question it should take (a name outside the cluster), else null. */
    private DnsForwarder forwarderFor(DnsWire.Question q) {
        DnsForwarder f = forwarder;
        if (f == null || q == null) {
            return null;
        }
        return records.lookup(q.name(), typeOf(DnsRecordType.valueOf(q.type()))).outcome()
                == DnsRecords.Outcome.OUTSIDE ? f : null;
    }

    private static DnsRecords.Type typeOf(DnsRecordType t) {
        return t == DnsRecordType.A ? DnsRecords.Type.A : t == DnsRecordType.SRV ? DnsRecords.Type.SRV
                : t == DnsRecordType.PTR ? DnsRecords.Type.PTR : DnsRecords.Type.OTHER;
    }

    private DnsResponse answer(DnsQuery query, DnsResponse response) {
        queries.incrementAndGet();
        response.setAuthoritativeAnswer(true).setRecursionAvailable(forwarder != null);
        DnsQuestion q = query.recordAt(DnsSection.QUESTION);
        if (q == null) {
            return response.setCode(DnsResponseCode.FORMERR);
        }
        response.addRecord(DnsSection.QUESTION, q);
        DnsRecords.Answer a = records.lookup(q.name(), typeOf(q.type()));
        switch (a.outcome()) {
            case NXDOMAIN -> response.setCode(DnsResponseCode.NXDOMAIN);
            case OUTSIDE -> response.setCode(DnsResponseCode.REFUSED).setAuthoritativeAnswer(false);
            case NO_DATA -> response.setCode(DnsResponseCode.NOERROR);
            case FOUND -> {
                if (a.name() != null) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsPtrRecord(q.name(), DnsRecord.CLASS_IN,
                            TTL_SECONDS, a.name()));
                } else if (a.srv() != null) {
                    ByteBuf data = Unpooled.buffer();
                    data.writeShort(0).writeShort(100).writeShort(a.srv().port());
                    writeName(data, a.srv().target());
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.SRV,
                            TTL_SECONDS, data));
                    if (a.address() != null) {
                        response.addRecord(DnsSection.ADDITIONAL, aRecord(a.srv().target() + ".", a.address()));
                    }
                } else {
                    response.addRecord(DnsSection.ANSWER, aRecord(q.name(), a.address()));
                }
            }
        }
        return response;
    }

    private static DefaultDnsRawRecord aRecord(String name, String ip) {
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(ip).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("not an address: " + ip, e);
        }
        return new DefaultDnsRawRecord(name, DnsRecordType.A, TTL_SECONDS, Unpooled.wrappedBuffer(bytes));
    }

    /** A domain name in wire format, uncompressed. */
    private static void writeName(ByteBuf out, String name) {
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            out.writeByte(b.length).writeBytes(b);
        }
        out.writeByte(0);
    }

    /** Takes a datagram holding a query for a name outside the cluster to the forwarder, raw. */
    private final class UdpForward extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket packet) {
                DnsWire.Question q = DnsWire.question(packet.content());
                DnsForwarder f = forwarderFor(q);
                if (f != null) {
                    queries.incrementAndGet();
                    InetSocketAddress client = packet.sender();
                    try {
                        f.forward(packet.content(), q, answer -> ctx.writeAndFlush(new DatagramPacket(answer, client)));
                    } finally {
                        packet.release();
                    }
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** The same over TCP (forwarded over TCP): frames for outside names go to the forwarder, the rest on. */
    private final class TcpForward extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf frame && frame.readableBytes() > 2) {
                ByteBuf body = frame.slice(frame.readerIndex() + 2, frame.readableBytes() - 2);
                DnsWire.Question q = DnsWire.question(body);
                DnsForwarder f = forwarderFor(q);
                if (f != null) {
                    queries.incrementAndGet();
                    try {
                        f.forwardTcp(body, q, answer -> {
                            ctx.write(ctx.alloc().buffer(2).writeShort(answer.readableBytes()));
                            ctx.writeAndFlush(answer);
                        });
                    } finally {
                        frame.release();
                    }
                    return;
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class UdpHandler extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            ctx.writeAndFlush(answer(query, response));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("dns: bad query: {}", cause.toString()); // a malformed packet; the server keeps running
        }
    }

    private final class TcpHandler extends SimpleChannelInboundHandler<DnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
            ctx.writeAndFlush(answer(query, new DefaultDnsResponse(query.id())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("dns: bad query over tcp: {}", cause.toString());
            ctx.close();
        }
    }

    @Override
    public void close() {
        DnsForwarder f = forwarder;
        if (f != null) {
            f.close();
        }
        udp.close();
        tcp.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
