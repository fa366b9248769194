package dev.capstan.engine.controller.builtin;

/**
 * An IPv4 range in CIDR form ({@code 127.77.0.0/16}) from which Services get their virtual addresses. The
 * network address and the broadcast address are never handed out, so a /16 holds 65,534 addresses.
 */
public record ServiceIpRange(String cidr, int network, int prefix) {

    /** The default range: part of the loopback block, so a proxy on Linux can bind any of it without setup. */
    public static final String DEFAULT = "127.77.0.0/16";

    public ServiceIpRange {
        if (prefix < 1 || prefix > 30) {
            throw new IllegalArgumentException("a service address range needs a prefix of /1 to /30: " + cidr);
        }
    }

    /** Parses {@code a.b.c.d/n}; the host bits of the address are ignored. */
    public static ServiceIpRange parse(String cidr) {
        String[] parts = cidr == null ? new String[0] : cidr.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a service address range looks like 127.77.0.0/16, not " + cidr);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a service address range looks like 127.77.0.0/16, not " + cidr);
        }
        if (prefix < 1 || prefix > 30) {
            throw new IllegalArgumentException("a service address range needs a prefix of /1 to /30: " + cidr);
        }
        Integer ip = toInt(parts[0]);
        if (ip == null) {
            throw new IllegalArgumentException("not an IPv4 address in " + cidr);
        }
        int mask = -1 << (32 - prefix);
        return new ServiceIpRange(cidr.trim(), ip & mask, prefix);
    }

    /** How many addresses can be handed out (network and broadcast excluded). */
    public int size() {
        return (int) ((1L << (32 - prefix)) - 2);
    }

    /** The i-th usable address, 0 ≤ i < {@link #size()}. */
    public String address(int i) {
        return toString(network + 1 + i);
    }

    /** The index of the address in this range, or -1 when it is outside it (or the network/broadcast address). */
    public int indexOf(String ip) {
        Integer v = toInt(ip);
        if (v == null) {
            return -1;
        }
        long offset = (v & 0xFFFFFFFFL) - (network & 0xFFFFFFFFL) - 1;
        return offset >= 0 && offset < size() ? (int) offset : -1;
    }

    static Integer toInt(String ip) {
        if (ip == null) {
            return null;
        }
        String[] o = ip.trim().split("\\.");
        if (o.length != 4) {
            return null;
        }
        int v = 0;
        for (String s : o) {
            if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int b = Integer.parseInt(s);
            if (b > 255) {
                return null;
            }
            v = (v << 8) | b;
        }
        return v;
    }

    static String toString(int v) {
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }
}
