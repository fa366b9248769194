package dev.capstan.node.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolvers the cluster DNS server forwards names outside the cluster to: from {@code --dns-upstream
 * IP[:PORT][,IP[:PORT]…]} or the {@code nameserver} lines of the host's {@code /etc/resolv.conf}. Pure parsing;
 * nothing here resolves a host name (an upstream must be an address).
 */
public final class DnsUpstreams {
    /** Where the host's resolvers are listed. */
    public static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

    private DnsUpstreams() {
    }

    /**
     * The upstreams of a {@code --dns-upstream} value: addresses separated by commas, each {@code IPv4[:PORT]},
     * {@code [IPv6]:PORT} or a bare IPv6 address; port 53 when none is given. {@code none} is the empty list.
     *
     * @throws IllegalArgumentException naming the entry that is not an address
     */
    public static List<InetSocketAddress> parse(String spec) {
        String s = spec.trim();
        if (s.equals("none")) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            out.add(address(part.trim()));
        }
        return List.copyOf(out);
    }

    /**
     * The {@code nameserver} addresses of a resolv.conf (port 53), in order, without those that are {@code self}
     * (so the server never forwards to itself); an absent file has none.
     */
    public static List<InetSocketAddress> fromResolvConf(Path file, InetSocketAddress self) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 2 || !words[0].equals("nameserver")) {
                continue;
            }
            try {
                InetSocketAddress a = new InetSocketAddress(literal(words[1]), 53);
                if (!out.contains(a)) {
                    out.add(a);
                }
            } catch (IllegalArgumentException e) {
                // resolv.conf allows only addresses; glibc skips what it cannot read, and so do we
            }
        }
        return withoutSelf(out, self);
    }

    /** {@code upstreams} without the server's own address (a server bound to all addresses is each local one). */
    public static List<InetSocketAddress> withoutSelf(List<InetSocketAddress> upstreams, InetSocketAddress self) {
        return upstreams.stream().filter(u -> !isSelf(u, self)).toList();
    }

    static boolean isSelf(InetSocketAddress upstream, InetSocketAddress self) {
        if (self == null || upstream.getPort() != self.getPort()) {
            return false;
        }
        InetAddress a = upstream.getAddress();
        InetAddress s = self.getAddress();
        return a.equals(s) || (s.isAnyLocalAddress() && (a.isLoopbackAddress() || a.isAnyLocalAddress()));
    }

    private static InetSocketAddress address(String part) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("an empty entry (write IP[:PORT][,IP[:PORT]...] or none)");
        }
        String host = part;
        int port = 53;
        if (part.startsWith("[")) {
            int close = part.indexOf(']');
            if (close < 0 || close + 1 < part.length() && part.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + part + "' is not [IPv6]:PORT");
            }
            host = part.substring(1, close);
            if (close + 1 < part.length()) {
                port = port(part, part.substring(close + 2));
            }
        } else if (part.indexOf(':') == part.lastIndexOf(':') && part.indexOf(':') >= 0) {
            host = part.substring(0, part.indexOf(':'));
            port = port(part, part.substring(part.indexOf(':') + 1));
        }
        try {
            return new InetSocketAddress(literal(host), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + part + "' is not an IP address (host names are not resolved)");
        }
    }

    private static int port(String part, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + part + "': the port must be 1-65535");
    }

    /** An IP literal, never a looked-up name. */
    private static InetAddress literal(String text) {
        boolean v4 = text.matches(OCTET + "(\\." + OCTET + "){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9A-Fa-f:.%a-zA-Z0-9_-]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return InetAddress.getByName(text); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }
}
