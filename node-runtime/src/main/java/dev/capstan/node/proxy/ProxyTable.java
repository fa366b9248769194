package dev.capstan.node.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's listeners: one bound {@code VIP:port} per service port, each with its current endpoints.
 * {@link #apply} makes the listeners match a new set of {@link Target}s: new ones are bound, endpoints of
 * existing ones replaced in place (new connections use them at once; established connections are untouched),
 * and listeners of ports that went away are unbound while their established connections run to their end.
 * A port that cannot be bound is logged (once) and tried again at the next {@link #apply}.
 */
public final class ProxyTable implements Proxier {
    private static final Logger log = LoggerFactory.getLogger(ProxyTable.class);

    private record Listener(String service, Channel server, Backends backends) {
    }

    private final Transport transport;
    private final EventLoopGroup group;
    private final int connectTimeoutMillis;
    private final Map<InetSocketAddress, Listener> listeners = new HashMap<>();
    private final Map<String, ServiceCounters> counters = new ConcurrentHashMap<>();
    /** Addresses that could not be bound and were reported; reported again only after a success. */
    private final Set<InetSocketAddress> reported = new HashSet<>();
    private boolean closed;
    private volatile Balance defaultBalance = Balance.ROUND_ROBIN;
    private volatile Duration drainTimeout = Duration.ofSeconds(30);

    private ProxyTable(Transport transport, int threads, Duration connectTimeout) {
        this.transport = transport;
        this.group = transport.newGroup(threads, "capstan-proxy");
        this.connectTimeoutMillis = (int) Math.max(1, connectTimeout.toMillis());
    }

    /** A table on epoll (Linux) or NIO with this many event-loop threads. */
    public static ProxyTable create(int threads, Duration connectTimeout) {
        return new ProxyTable(Transport.best(), threads, connectTimeout);
    }

    /** As {@link #create} but always on NIO, for tests. */
    static ProxyTable createNio(int threads, Duration connectTimeout) {
        return new ProxyTable(Transport.nio(), threads, connectTimeout);
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return transport.name();
    }

    @Override
    public String mode() {
        return "netty on " + transport.name();
    }

    /** The balancing of targets that do not choose their own (round-robin unless set). */
    @Override
    public ProxyTable defaultBalance(Balance b) {
        this.defaultBalance = b;
        return this;
    }

    /**
     * How long connections to a removed endpoint may keep running before they are closed (default 30 s, as
     * Kubernetes' default termination grace); null: until either side closes them.
     */
    public ProxyTable drainTimeout(Duration d) {
        this.drainTimeout = d;
        return this;
    }

    /** Makes the listeners match the targets. */
    @Override
    public synchronized void apply(Collection<Target> targets) {
        if (closed) {
            return;
        }
        Map<InetSocketAddress, Target> desired = new HashMap<>();
        for (Target t : targets) {
            desired.putIfAbsent(new InetSocketAddress(t.ip(), t.port()), t);
        }
        listeners.entrySet().removeIf(e -> {
            Target t = desired.get(e.getKey());
            if (t == null || !t.service().equals(e.getValue().service())) {
                e.getValue().server().close();
                log.info("proxy: stopped listening on {} for {}", text(e.getKey()), e.getValue().service());
                return true;
            }
            return false;
        });
        for (Map.Entry<InetSocketAddress, Target> e : desired.entrySet()) {
            Listener l = listeners.get(e.getKey());
            if (l == null) {
                l = bind(e.getKey(), e.getValue());
                if (l == null) {
                    continue;
                }
                listeners.put(e.getKey(), l);
            }
            Target t = e.getValue();
            l.backends().set(t.endpoints(), t.balance() != null ? t.balance() : defaultBalance, drainTimeout);
        }
    }

    private Listener bind(InetSocketAddress address, Target t) {
        ServiceCounters c = counters.computeIfAbsent(t.service(), k -> new ServiceCounters());
        Backends backends = new Backends(c);
        ServerBootstrap sb = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Frontend.WATER_MARK)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Relay relay = new Relay(null);
                        ch.pipeline().addLast(new Frontend(backends, c, transport, connectTimeoutMillis, relay), relay);
                    }
                });
        ChannelFuture f = sb.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            if (!reported.add(address)) {
                return null;
            }
            log.warn("proxy: cannot listen on {} for {}: {}", text(address), t.service(),
                    f.cause() == null ? "unknown reason" : f.cause().getMessage());
            return null;
        }
        reported.remove(address);
        log.info("proxy: listening on {} for {}", text(address), t.service());
        return new Listener(t.service(), f.channel(), backends);
    }

    /** The addresses listened on now, with the service behind each. */
    @Override
    public synchronized Map<String, String> listening() {
        Map<String, String> out = new TreeMap<>();
        listeners.forEach((a, l) -> out.put(text(a), l.service()));
        return out;
    }

    @Override
    public Map<String, ServiceCounters.Snapshot> counters() {
        Map<String, ServiceCounters.Snapshot> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.snapshot()));
        return out;
    }

    /** Unbinds everything and closes every connection. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listeners.values().forEach(l -> l.server().close());
        listeners.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static String text(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
