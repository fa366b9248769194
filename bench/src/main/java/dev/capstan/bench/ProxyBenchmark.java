package dev.capstan.bench;

import dev.capstan.node.proxy.NftablesProxier;
import dev.capstan.node.proxy.ProxyTable;
import dev.capstan.node.proxy.Proxier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service proxy under HTTP load: the same {@code wrk} load (keep-alive, 1 KiB responses) straight at an
 * endpoint standing in for a pod and through the service's virtual address, in one run, on this machine.
 * <ul>
 *   <li>{@code proxy_throughput_ratio}: requests/s through the proxy over requests/s direct, with
 *       {@code --connections} connections: the median of the ratios of up to 5 rounds, each a direct run and a run
 *       through each mode back to back (so that the host's speed, which drifts, is about the same for both), the
 *       order reversed every other round (so that neither always goes first);</li>
 *   <li>{@code proxy_added_p50_us}, {@code proxy_added_p99_us}: the latency percentiles through the proxy minus
 *       direct, with one connection (so the figures are the proxy's own time, not queueing), as medians over
 *       alternating rounds (direct, then each mode) so that the host's drift does not land on one path;</li>
 *   <li>{@code proxy_failover_ms}: two endpoints behind the address, clients opening a connection per request;
 *       one endpoint is killed (listener and connections closed at once) and the time from its death to the last
 *       failed request is reported (0 when none failed);</li>
 *   <li>{@code proxy_cpu_per_request_us}, {@code backend_cpu_per_request_us}: CPU time of the proxy's threads and
 *       of the endpoint's thread per request of the proxied throughput run: what the proxy costs whatever the
 *       number of cores (with wrk, endpoint and proxy on the same two cores, the throughput ratio cannot go above
 *       roughly {@code 2 * backend / (wrk + backend + proxy)} per request).</li>
 *   <li>{@code proxy_nftables_throughput_ratio}, {@code proxy_nftables_added_p50_us},
 *       {@code proxy_nftables_added_p99_us}: the same through {@code --proxy-mode nftables} (the kernel rewrites
 *       each connection to the endpoint; nothing is copied through a process), on a second virtual address. No
 *       failover figure: the kernel does not fail over, a dead endpoint is taken out when its pod stops being
 *       ready.</li>
 * </ul>
 * The endpoints are Netty HTTP servers in this JVM (one event-loop thread each); the proxy is Capstan's
 * {@link ProxyTable} with {@code --proxy-threads} threads, on epoll where available, and
 * {@link NftablesProxier} in a table of its own ({@code capstan_bench}, deleted at the end).
 */
public final class ProxyBenchmark implements Benchmark {
    private static final String VIP = "127.77.254.1";
    private static final String NFT_VIP = "127.77.254.2";

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public String description() {
        return "HTTP through the service proxy (netty and nftables modes) vs straight to the endpoint (wrk, keep-alive, "
                + "1 KiB); failover time";
    }

    @Override
    public List<Option> options() {
        return List.of(new Option("seconds", "10", "length of each wrk run"),
                new Option("connections", "16", "wrk connections for the throughput runs"),
                new Option("threads", "1", "wrk threads"),
                new Option("proxy-threads", "1", "event-loop threads of the proxy"),
                new Option("body", "1024", "response body bytes"),
                new Option("modes", "netty,nftables", "proxy modes to measure (nftables needs root and nft; "
                        + "it is left out, saying why, when it cannot run)"));
    }

    @Override
    public void run(Options options, Report report) throws Exception {
        int seconds = options.integer("seconds", 1, 600);
        int connections = options.integer("connections", 1, 10_000);
        int threads = options.integer("threads", 1, 64);
        int proxyThreads = options.integer("proxy-threads", 1, 64);
        int bodyBytes = options.integer("body", 1, 1 << 20);
        List<String> modes = List.of(options.choice("modes", List.of("netty,nftables", "netty", "nftables",
                "nftables,netty")).split(","));
        Wrk.binary();
        try (HttpBackend a = new HttpBackend("127.0.0.1", bodyBytes);
             HttpBackend b = new HttpBackend("127.0.0.1", bodyBytes);
             ProxyTable table = ProxyTable.create(proxyThreads, Duration.ofSeconds(2));
             Proxier nft = modes.contains("nftables") ? nftables(report) : null) {
            int port = freePort();
            Map<String, String> url = new LinkedHashMap<>();
            if (modes.contains("netty")) {
                table.apply(List.of(new Proxier.Target("bench/web", VIP, port, List.of(a.address()))));
                if (table.listening().isEmpty()) {
                    throw new BenchmarkFailure("the proxy could not listen on " + VIP + ":" + port);
                }
                url.put("netty", "http://" + VIP + ":" + port + "/");
            }
            if (nft != null) {
                nft.apply(List.of(new Proxier.Target("bench/web", NFT_VIP, port, List.of(a.address()))));
                url.put("nftables", "http://" + NFT_VIP + ":" + port + "/");
            }
            String direct = "http://127.0.0.1:" + a.address().getPort() + "/";
            report.progress("proxy modes " + url.keySet() + " (netty on " + table.transport() + ", " + proxyThreads
                    + " thread(s)); warm-up");
            Wrk.run(direct, threads, connections, 2);
            for (String u : url.values()) {
                Wrk.run(u, threads, connections, 2);
            }

            int tRounds = Math.max(1, Math.min(5, seconds / 2));
            int tSeconds = Math.max(1, seconds / tRounds);
            report.progress("throughput: " + connections + " connections, " + tRounds + " rounds of " + tSeconds
                    + " s per path, direct and every mode in each, the order reversed every other round (ratios: medians of "
                    + "the rounds' ratios)");
            List<Double> directRps = new ArrayList<>();
            Map<String, List<Double>> rps = new LinkedHashMap<>();
            Map<String, List<Double>> ratios = new LinkedHashMap<>();
            long proxyNanos = 0;
            long backendNanos = 0;
            double nettyRequests = 0;
            Map<String, String> paths = new LinkedHashMap<>();
            paths.put("direct", direct);
            paths.putAll(url);
            for (int round = 0; round < tRounds; round++) {
                List<String> order = new ArrayList<>(paths.keySet());
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order); // ABBA: neither path always goes first
                }
                Map<String, Double> got = new HashMap<>();
                for (String path : order) {
                    Map<String, Long> cpu0 = cpuByThreadPrefix();
                    double r = Wrk.run(paths.get(path), threads, connections, tSeconds).requestsPerSecond();
                    Map<String, Long> cpu1 = cpuByThreadPrefix();
                    got.put(path, r);
                    if (path.equals("netty")) {
                        nettyRequests += r * tSeconds;
                        proxyNanos += cpu1.get(PROXY_THREADS) - cpu0.get(PROXY_THREADS);
                        backendNanos += cpu1.get(HttpBackend.THREADS) - cpu0.get(HttpBackend.THREADS);
                    }
                }
                double d = got.get("direct");
                directRps.add(d);
                StringBuilder line = new StringBuilder("round " + (round + 1) + ": direct " + Report.fmt(d, 0));
                for (String mode : url.keySet()) {
                    double r = got.get(mode);
                    rps.computeIfAbsent(mode, k -> new ArrayList<>()).add(r);
                    ratios.computeIfAbsent(mode, k -> new ArrayList<>()).add(r / d);
                    line.append(", ").append(mode).append(' ').append(Report.fmt(r, 0)).append(" (")
                            .append(Report.fmt(r / d, 3)).append(')');
                }
                report.progress(line + " req/s");
            }
            double proxyCpu = nettyRequests == 0 ? 0 : proxyNanos / 1e3 / nettyRequests;
            double backendCpu = nettyRequests == 0 ? 0 : backendNanos / 1e3 / nettyRequests;
            if (url.containsKey("netty")) {
                report.progress(String.format("CPU per request through the netty proxy: proxy %s us, backend %s us"
                                + " (%d cores)", Report.fmt(proxyCpu, 2), Report.fmt(backendCpu, 2),
                        Runtime.getRuntime().availableProcessors()));
            }
            int rounds = Math.max(1, Math.min(5, seconds / 2));
            int roundSeconds = Math.max(1, seconds / rounds);
            report.progress("latency: 1 connection, " + rounds + " alternating rounds of " + roundSeconds
                    + " s per path (medians of the rounds' percentiles)");
            Map<String, List<Wrk.Result>> latency = new LinkedHashMap<>();
            for (int i = 0; i < rounds; i++) {
                latency.computeIfAbsent("direct", k -> new ArrayList<>()).add(Wrk.run(direct, 1, 1, roundSeconds));
                for (Map.Entry<String, String> e : url.entrySet()) {
                    latency.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(Wrk.run(e.getValue(), 1, 1,
                            roundSeconds));
                }
            }
            Latency dL = Latency.of(latency.get("direct"));

            Failover f = null;
            if (url.containsKey("netty")) {
                report.progress("failover: two endpoints, one killed under load (netty proxy)");
                table.apply(List.of(new Proxier.Target("bench/web", VIP, port, List.of(a.address(), b.address()))));
                f = failover(new InetSocketAddress(VIP, port), a);
            }

            StringBuilder summary = new StringBuilder(String.format("%s req/s direct, p50 %s us, p99 %s us (1 conn)",
                    Report.fmt(Stats.median(directRps), 0), Report.fmt(dL.p50us(), 0), Report.fmt(dL.p99us(), 0)));
            for (String mode : url.keySet()) {
                String prefix = mode.equals("netty") ? "proxy_" : "proxy_nftables_";
                double ratio = Stats.median(ratios.get(mode));
                Latency l = Latency.of(latency.get(mode));
                double p50 = l.p50us() - dL.p50us();
                double p99 = l.p99us() - dL.p99us();
                report.metric(prefix + "throughput_ratio", ratio, 3, "ratio");
                report.metric(prefix + "added_p50_us", p50, 1, "us");
                report.metric(prefix + "added_p99_us", p99, 1, "us");
                summary.append(String.format("; %s: %s req/s (ratio %s, target >= 0.8), p50 %s us (<= 50), p99 %s us"
                                + " (<= 200)", mode, Report.fmt(Stats.median(rps.get(mode)), 0),
                        Report.fmt(ratio, 3), signed(p50), signed(p99)));
            }
            if (f != null) {
                report.metric("proxy_failover_ms", f.millis(), 1, "ms");
                report.metric("proxy_cpu_per_request_us", proxyCpu, 2, "us");
                report.metric("backend_cpu_per_request_us", backendCpu, 2, "us");
                summary.append(String.format("; netty failover %s ms (<= 1000; %d of %d requests failed)",
                        Report.fmt(f.millis(), 1), f.failed(), f.total()));
            }
            report.summary(summary.toString());
        }
    }

    /** The nftables proxier in a table of its own, or null (said in progress) when it cannot run here. */
    private static Proxier nftables(Report report) {
        try {
            return NftablesProxier.start("capstan_bench");
        } catch (IllegalStateException e) {
            report.progress("nftables mode left out: " + e.getMessage());
            return null;
        }
    }

    /** Medians over rounds of the one-connection percentiles. */
    private record Latency(double p50us, double p99us) {
        static Latency of(List<Wrk.Result> rounds) {
            return new Latency(Stats.median(rounds.stream().map(Wrk.Result::p50us).toList()),
                    Stats.median(rounds.stream().map(Wrk.Result::p99us).toList()));
        }
    }

    private static String signed(double v) {
        return (v >= 0 ? "+" : "") + Report.fmt(v, 0);
    }

    private record Failover(double millis, long failed, long total) {
    }

    /** The proxy's event-loop threads ({@code ProxyTable}'s names). */
    private static final String PROXY_THREADS = "capstan-proxy";

    /** CPU nanoseconds used so far by the proxy's and by the backends' threads. */
    private static Map<String, Long> cpuByThreadPrefix() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>(Map.of(PROXY_THREADS, 0L, HttpBackend.THREADS, 0L));
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            for (String prefix : List.copyOf(out.keySet())) {
                if (t.getThreadName().startsWith(prefix + "-")) {
                    long ns = mx.getThreadCpuTime(t.getThreadId());
                    if (ns > 0) {
                        out.merge(prefix, ns, Long::sum);
                    }
                }
            }
        }
        return out;
    }

    /** Clients open a connection per request; after 0.5 s endpoint {@code victim} dies; 1.5 s more. */
    private static Failover failover(InetSocketAddress vip, HttpBackend victim) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong lastFailure = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong total = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    boolean ok = request(vip);
                    total.incrementAndGet();
                    if (!ok) {
                        failed.incrementAndGet();
                        lastFailure.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                }
            }, "failover-client-" + i);
            t.setDaemon(true);
            t.start();
            clients.add(t);
        }
        Thread.sleep(500);
        long failedBefore = failed.get();
        long death = System.nanoTime();
        victim.kill();
        Thread.sleep(1500);
        running.set(false);
        for (Thread t : clients) {
            t.join(5000);
        }
        long last = lastFailure.get();
        double ms = failed.get() == failedBefore || last < death ? 0 : (last - death) / 1e6;
        return new Failover(ms, failed.get(), total.get());
    }

    private static boolean request(InetSocketAddress vip) {
        try (Socket s = new Socket()) {
            s.connect(vip, 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            return new String(all, 0, Math.min(all.length, 16), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(VIP))) {
            return s.getLocalPort();
        }
    }
}
