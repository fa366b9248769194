package dev.capstan.node.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny real DNS server on loopback (UDP and TCP, one port) for the forwarding tests: answers {@code A known.example}
 * and {@code A *.known.example} with {@link #KNOWN_ADDRESS} (TTL {@link #KNOWN_TTL}), another type of those names
 * NODATA with an SOA (TTL 20, MINIMUM 120), {@link #LONG} with a TTL of a day, {@link #GONE} NXDOMAIN with an SOA
 * (TTL 3600, MINIMUM 30), {@link #TRUNCATED} with the TC bit, any other name NXDOMAIN without SOA; or, by its mode
 * (which a test may change), answers everything SERVFAIL or nothing at all. It records the names it was asked, the
 * ids the queries came with and how they came ("udp", "tcp").
 */
final class TestUpstream implements AutoCloseable {
    static final String KNOWN = "known.example";
    static final byte[] KNOWN_ADDRESS = {(byte) 192, 0, 2, 7};
    static final int KNOWN_TTL = 60;
    static final String LONG = "long.example";
    static final String GONE = "gone.example";
    static final String TRUNCATED = "tc.example";

    enum Mode { ANSWER, SERVFAIL, SILENT }

    final Queue<String> asked = new ConcurrentLinkedQueue<>();
    final Queue<Integer> ids = new ConcurrentLinkedQueue<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final Queue<String> transports = new ConcurrentLinkedQueue<>();
    private final Channel channel;
    private final Channel tcp;
    private volatile Mode mode;

    TestUpstream(String ip, Mode mode) {
        this.mode = mode;
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Handler());
                    }
                }).bind(new InetSocketAddress(ip, 0)).syncUninterruptibly().channel();
        tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
                                        transports.add("tcp");
                                        DnsResponse r = respond(query, new DefaultDnsResponse(query.id()));
                                        if (r != null) {
                                            ctx.writeAndFlush(r);
                                        }
                                    }
                                });
                    }
                }).bind(address()).syncUninterruptibly().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    List<String> asked() {
        return List.copyOf(asked);
    }

    /** Answers as {@code m} says from now on. */
    void mode(Mode m) {
        mode = m;
    }

    private final class Handler extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            transports.add("udp");
            DnsResponse r = respond(query, new DatagramDnsResponse(query.recipient(), query.sender(),
                    query.id()));
            if (r != null) {
                ctx.writeAndFlush(r);
            }
        }
    }

    /** Records the question and fills in {@code r}; null for no answer. */
    private DnsResponse respond(DnsQuery query, DnsResponse r) {
        Mode mode = this.mode;
        DnsQuestion q = query.recordAt(DnsSection.QUESTION);
        String name = q.name().endsWith(".") ? q.name().substring(0, q.name().length() - 1) : q.name();
        asked.add(name.toLowerCase());
        ids.add(query.id());
        if (mode == Mode.SILENT) {
            return null;
        }
        r.setRecursionAvailable(true).addRecord(DnsSection.QUESTION, q);
        if (mode == Mode.SERVFAIL) {
            r.setCode(DnsResponseCode.SERVFAIL);
        } else if (name.equalsIgnoreCase(KNOWN) || name.toLowerCase().endsWith("." + KNOWN)
                || name.equalsIgnoreCase(LONG) || name.equalsIgnoreCase(TRUNCATED)) {
            if (q.type() == DnsRecordType.A) {
                r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.A,
                        name.equalsIgnoreCase(LONG) ? 86_400 : KNOWN_TTL, Unpooled.wrappedBuffer(KNOWN_ADDRESS)));
                r.setTruncated(name.equalsIgnoreCase(TRUNCATED));
            } else {
                r.addRecord(DnsSection.AUTHORITY, soa(20, 120));
            }
        } else if (name.equalsIgnoreCase(GONE)) {
            r.setCode(DnsResponseCode.NXDOMAIN).addRecord(DnsSection.AUTHORITY, soa(3600, 30));
        } else {
            r.setCode(DnsResponseCode.NXDOMAIN);
        }
        return r;
    }

    /** {@code example. SOA ns.example. admin.example. 1 7200 900 1209600 MINIMUM} with this TTL. */
    private static DefaultDnsRawRecord soa(long ttl, int minimum) {
        io.netty.buffer.ByteBuf data = Unpooled.buffer();
        for (String name : List.of("ns.example", "admin.example")) {
            for (String label : name.split("\\.")) {
                data.writeByte(label.length()).writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            data.writeByte(0);
        }
        data.writeInt(1).writeInt(7200).writeInt(900).writeInt(1_209_600).writeInt(minimum);
        return new DefaultDnsRawRecord("example.", DnsRecordType.SOA, ttl, data);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        tcp.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
