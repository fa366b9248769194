package dev.capstan.node.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The first handler of an accepted client connection. The client channel starts with reading off; this
 * handler connects to the endpoints in round-robin order, failing over to the next one when a connect fails,
 * and switches reading on for both sides once one answers (the {@link Relay}s then copy bytes). When no
 * endpoint can be reached, the client connection is closed.
 */
final class Frontend extends ChannelInboundHandlerAdapter {
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final Backends backends;
    private final ServiceCounters counters;
    private final Transport transport;
    private final int connectTimeoutMillis;
    private final Relay clientRelay;

    Frontend(Backends backends, ServiceCounters counters, Transport transport, int connectTimeoutMillis,
             Relay clientRelay) {
        this.backends = backends;
        this.counters = counters;
        this.transport = transport;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.clientRelay = clientRelay;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counters.opened();
        connect(ctx.channel(), backends.order(), 0);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        counters.closed();
        ctx.fireChannelInactive();
    }

    private void connect(Channel client, List<InetSocketAddress> order, int i) {
        if (!client.isActive()) {
            return;
        }
        if (i >= order.size()) {
            counters.dropped();
            client.close();
            return;
        }
        Bootstrap b = new Bootstrap().group(client.eventLoop()).channel(transport.clientChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new Relay(client));
        b.connect(order.get(i)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                counters.failed();
                connect(client, order, i + 1);
                return;
            }
            Channel server = f.channel();
            if (!client.isActive()) {
                server.close();
                return;
            }
            backends.connected(order.get(i), server);
            clientRelay.peer(server);
            client.config().setAutoRead(true);
            server.config().setAutoRead(true);
        });
    }
}
