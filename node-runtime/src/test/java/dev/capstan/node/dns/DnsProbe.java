package dev.capstan.node.dns;

import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A bare DNS client for the tests (plain JDK sockets, no DNS library): one query, the header of the answer. The
 * JDK resolver hides response codes and ids; this shows them.
 */
final class DnsProbe {
    static final int A = 1;
    static final int PTR = 12;
    static final int AAAA = 28;
    static final int TXT = 16;

    /** The answer's header: its id, whether it is authoritative, the response code, and the record counts. */
    record Reply(int id, boolean authoritative, int rcode, int answers, byte[] bytes) {
        /** The last four bytes: the address of an answer whose one record is an A record. */
        String lastAddress() {
            int n = bytes.length;
            return (bytes[n - 4] & 0xFF) + "." + (bytes[n - 3] & 0xFF) + "." + (bytes[n - 2] & 0xFF) + "."
                    + (bytes[n - 1] & 0xFF);
        }

        /** The records after the question, in order (read with {@link DnsWire#records}). */
        List<DnsWire.Rr> records() {
            return DnsWire.records(Unpooled.wrappedBuffer(bytes));
        }

        /** The TTL of the first record of {@code type}. */
        long ttl(int type) {
            return records().stream().filter(r -> r.type() == type).findFirst().orElseThrow().ttl();
        }

        /** The question's name as the answer spells it. */
        String question() {
            StringBuilder b = new StringBuilder();
            for (int at = 12; bytes[at] != 0; at += 1 + bytes[at]) {
                b.append(b.isEmpty() ? "" : ".")
                        .append(new String(bytes, at + 1, bytes[at], StandardCharsets.US_ASCII));
            }
            return b.toString();
        }

        boolean truncated() {
            return (bytes[2] & 0x02) != 0;
        }
    }

    private DnsProbe() {
    }

    static Reply udp(InetSocketAddress server, String name, int type, int id) throws IOException {
        return udp(server, query(name, type, id));
    }

    static Reply udp(InetSocketAddress server, byte[] q) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(10_000);
            s.send(new DatagramPacket(q, q.length, server));
            byte[] buf = new byte[65_535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return reply(java.util.Arrays.copyOf(buf, p.getLength()));
        }
    }

    static Reply tcp(InetSocketAddress server, String name, int type, int id) throws IOException {
        byte[] q = query(name, type, id);
        try (Socket s = new Socket()) {
            s.connect(server, 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(new byte[]{(byte) (q.length >> 8), (byte) q.length});
            out.write(q);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] r = new byte[in.readUnsignedShort()];
            in.readFully(r);
            return reply(r);
        }
    }

    private static Reply reply(byte[] r) {
        ByteBuffer b = ByteBuffer.wrap(r);
        int id = b.getShort() & 0xFFFF;
        int flags = b.getShort() & 0xFFFF;
        b.getShort();
        int answers = b.getShort() & 0xFFFF;
        return new Reply(id, (flags & 0x0400) != 0, flags & 0xF, answers, r);
    }

    static byte[] query(String name, int type, int id) {
        ByteBuffer b = ByteBuffer.allocate(12 + encodedLength(name) + 4);
        b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            b.put((byte) l.length).put(l);
        }
        b.put((byte) 0).putShort((short) type).putShort((short) 1);
        return b.array();
    }

    /**
     * A query with an OPT record stating {@code udpSize} and the DO bit when {@code dnssecOk}, and the CD bit when
     * {@code checkingDisabled}.
     */
    static byte[] query(String name, int type, int id, int udpSize, boolean dnssecOk, boolean checkingDisabled) {
        byte[] plain = query(name, type, id);
        ByteBuffer b = ByteBuffer.allocate(plain.length + 11).put(plain);
        b.put((byte) 0).putShort((short) 41).putShort((short) udpSize).putInt(dnssecOk ? 0x8000 : 0)
                .putShort((short) 0);
        b.putShort(2, (short) (0x0100 | (checkingDisabled ? 0x0010 : 0))).putShort(10, (short) 1);
        return b.array();
    }

    private static int encodedLength(String name) {
        return name.getBytes(StandardCharsets.US_ASCII).length + 2;
    }

    /** Runs the real {@code dig} against {@code server} ({@code @127.0.0.1 -p PORT}, 5 s, one try); its output. */
    static String dig(java.nio.file.Path dig, InetSocketAddress server, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(dig.toString(), "@127.0.0.1", "-p",
                String.valueOf(server.getPort()), "+time=5", "+tries=1"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("dig did not finish: " + cmd);
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Asks {@code server} through the JDK's own resolver (JNDI's DNS provider): the first {@code type} record of
     * {@code name}, or null; a name that does not exist is a {@link javax.naming.NameNotFoundException}.
     */
    static String jndi(InetSocketAddress server, String name, String type, boolean recursion)
            throws javax.naming.NamingException {
        java.util.Hashtable<String, String> env = new java.util.Hashtable<>();
        env.put(javax.naming.Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(javax.naming.Context.PROVIDER_URL, "dns://127.0.0.1:" + server.getPort());
        env.put("com.sun.jndi.dns.recursion", String.valueOf(recursion));
        env.put("com.sun.jndi.dns.timeout.initial", "5000");
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        javax.naming.directory.InitialDirContext ctx = new javax.naming.directory.InitialDirContext(env);
        try {
            javax.naming.directory.Attribute a = ctx.getAttributes(name, new String[]{type}).get(type);
            return a == null ? null : a.get().toString();
        } finally {
            ctx.close();
        }
    }
}
