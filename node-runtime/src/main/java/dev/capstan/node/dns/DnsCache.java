package dev.capstan.node.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The answers of forwarded queries, kept as a node-local cache does (CoreDNS's {@code cache}, dnsmasq), as raw
 * messages. The key is the question (name without case, type, class) with the query's DO and CD bits, which
 * change what an upstream answers. Kept: NOERROR with answers, for the smallest TTL of its records (at most
 * {@link DnsForwarding#maxTtl()}); NXDOMAIN and NODATA with an SOA in the authority section, for the smaller of
 * the SOA's TTL and MINIMUM (RFC 2308 §5; at most {@link DnsForwarding#maxNegativeTtl()}). Never kept: other
 * response codes (SERVFAIL, REFUSED…), truncated answers, negative answers without SOA, a TTL of 0, and messages
 * that cannot be walked. Bounded by entries and bytes, least recently used first out.
 *
 * <p>An answer is stored without its OPT record; it is served with the client's id, RD bit and question (its
 * spelling), TTLs less the whole seconds it spent here, and an OPT record of this server's when the client sent
 * one. Over UDP it is served only when it fits the client's size (512 bytes, or its EDNS size); else it is asked
 * upstream again.
 *
 * <p>Threads: safe for any thread (the forwarder's event loop uses it; {@link #stats} may be read from anywhere).
 */
final class DnsCache {
    /** The UDP payload size this server states in its OPT records (the DNS flag day 2020 value). */
    static final int UDP_SIZE = 1232;
    private static final int OPT_BYTES = 11;

    /** What identifies an answer: the question's wire form with the name in lower case, and the DO and CD bits. */
    record Key(String question, boolean dnssecOk, boolean checkingDisabled) {
    }

    /**
     * A cacheable query: its key, its header flags, whether it has an OPT record and the UDP size it states there.
     */
    record Asked(Key key, int flags, boolean edns, int udpSize) {
    }

    private record Entry(byte[] message, int questionEnd, int[] ttlAt, long[] ttl, long lifetime, long storedAt) {
    }

    private final int maxEntries;
    private final long maxBytes;
    private final long maxTtl;
    private final long maxNegativeTtl;
    private final LongSupplier nanos;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;
    private long inserts;
    private long evictions;

    DnsCache(DnsForwarding settings, LongSupplier nanos) {
        this.maxEntries = settings.cacheEntries();
        this.maxBytes = settings.cacheBytes();
        this.maxTtl = settings.maxTtl().toSeconds();
        this.maxNegativeTtl = settings.maxNegativeTtl().toSeconds();
        this.nanos = nanos;
    }

    /** The query as the cache sees it, or null when its answer is never cached (no cache, or an odd query). */
    Asked asked(ByteBuf query, DnsWire.Question q) {
        if (maxEntries == 0 || q == null || query.getUnsignedShort(query.readerIndex() + 4) != 1) {
            return null;
        }
        List<DnsWire.Rr> records = DnsWire.records(query);
        if (records == null) {
            return null;
        }
        boolean edns = false;
        boolean dnssecOk = false;
        int udpSize = 512;
        for (DnsWire.Rr r : records) {
            if (r.type() == DnsWire.TYPE_OPT) {
                edns = true;
                udpSize = Math.max(512, r.rclass());
                dnssecOk = (r.ttl() & 0x8000) != 0;
            }
        }
        int flags = DnsWire.flags(query);
        byte[] question = new byte[q.end() - DnsWire.HEADER];
        query.getBytes(query.readerIndex() + DnsWire.HEADER, question);
        for (int i = 0; i < question.length - 4; i++) {
            if (question[i] >= 'A' && question[i] <= 'Z') {
                question[i] += 'a' - 'A'; // label lengths are at most 63, below 'A': only letters change
            }
        }
        Key key = new Key(new String(question, StandardCharsets.ISO_8859_1), dnssecOk,
                (flags & DnsWire.FLAG_CD) != 0);
        return new Asked(key, flags, edns, udpSize);
    }

    /**
     * The cached answer to {@code query} ({@code asked} is what {@link #asked} said of it) ready to send, or null.
     * {@code udp}: the client asked over UDP, so the answer must fit its size.
     */
    synchronized ByteBuf get(Asked asked, ByteBuf query, boolean udp, ByteBufAllocator alloc) {
        Entry e = entries.get(asked.key());
        long now = nanos.getAsLong();
        if (e != null && now - e.storedAt() >= e.lifetime() * 1_000_000_000L) {
            remove(asked.key());
            e = null;
        }
        int size = e == null ? 0 : e.message().length + (asked.edns() ? OPT_BYTES : 0);
        if (e == null || udp && size > asked.udpSize()) {
            misses++;
            return null;
        }
        hits++;
        long elapsed = (now - e.storedAt()) / 1_000_000_000L;
        int base = query.readerIndex();
        ByteBuf out = alloc.buffer(size).writeBytes(e.message());
        out.setShort(0, query.getUnsignedShort(base));
        int flags = out.getUnsignedShort(2) & ~(DnsWire.FLAG_RD | DnsWire.FLAG_AD);
        flags |= asked.flags() & DnsWire.FLAG_RD;
        if ((asked.flags() & DnsWire.FLAG_AD) != 0 || asked.key().dnssecOk()) {
            flags |= e.message()[3] & DnsWire.FLAG_AD; // AD only for a client that can take it (RFC 6840 §5.8)
        }
        out.setShort(2, flags);
        out.setBytes(DnsWire.HEADER, query, base + DnsWire.HEADER, e.questionEnd() - DnsWire.HEADER);
        for (int i = 0; i < e.ttlAt().length; i++) {
            out.setInt(e.ttlAt()[i], (int) Math.max(0, Math.min(e.ttl()[i], e.lifetime()) - elapsed));
        }
        if (asked.edns()) {
            out.setShort(10, out.getUnsignedShort(10) + 1);
            out.writeByte(0).writeShort(DnsWire.TYPE_OPT).writeShort(UDP_SIZE)
                    .writeInt(asked.key().dnssecOk() ? 0x8000 : 0).writeShort(0);
        }
        return out;
    }

    /** Keeps {@code answer} (left untouched), the upstream's answer to the query {@code asked}, when it may be. */
    synchronized void put(Asked asked, ByteBuf answer) {
        int base = answer.readerIndex();
        int flags = answer.readableBytes() >= DnsWire.HEADER ? DnsWire.flags(answer) : 0;
        int rcode = flags & 0xF;
        if ((flags & 0x8000) == 0 || (flags & 0x7800) != 0 || (flags & DnsWire.FLAG_TC) != 0
                || rcode != 0 && rcode != DnsWire.RCODE_NXDOMAIN || answer.getUnsignedShort(base + 4) != 1) {
            return;
        }
        String question = asked.key().question();
        int questionEnd = DnsWire.HEADER + question.length();
        if (answer.readableBytes() < questionEnd || !sameQuestion(answer, base, question)) {
            return; // not the answer to this question
        }
        List<DnsWire.Rr> records = DnsWire.records(answer);
        if (records == null) {
            return;
        }
        int length = answer.readableBytes();
        long least = Long.MAX_VALUE;
        long negative = -1;
        int kept = 0;
        for (int i = 0; i < records.size(); i++) {
            DnsWire.Rr r = records.get(i);
            if (r.type() == DnsWire.TYPE_OPT) {
                if (i != records.size() - 1 || (r.ttl() >>> 24) != 0) {
                    return; // not last (we cut it off the end), or an extended response code
                }
                length = r.start();
                continue;
            }
            kept++;
            long ttl = r.ttl() > Integer.MAX_VALUE ? 0 : r.ttl(); // RFC 2181 §8
            least = Math.min(least, ttl);
            boolean soa = r.type() == DnsWire.TYPE_SOA && r.section() == DnsWire.SECTION_AUTHORITY;
            if (soa && r.end() - r.dataAt() >= 22) { // two names of at least a byte, five 32-bit numbers
                long minimum = answer.getUnsignedInt(base + r.end() - 4);
                negative = Math.max(negative, Math.min(ttl, minimum));
            }
        }
        boolean positive = rcode == 0 && answer.getUnsignedShort(base + 6) > 0;
        long lifetime;
        if (positive) {
            lifetime = Math.min(least, maxTtl);
        } else if (negative >= 0) {
            lifetime = Math.min(Math.min(least, negative), maxNegativeTtl);
        } else {
            return; // a negative answer without SOA (RFC 2308 §5: not cached)
        }
        if (lifetime <= 0) {
            return;
        }
        byte[] message = new byte[length];
        answer.getBytes(base, message);
        if (length < answer.readableBytes()) {
            int arcount = ((message[10] & 0xFF) << 8 | (message[11] & 0xFF)) - 1;
            message[10] = (byte) (arcount >> 8);
            message[11] = (byte) arcount;
        }
        int[] ttlAt = new int[kept];
        long[] ttl = new long[kept];
        int k = 0;
        for (DnsWire.Rr r : records) {
            if (r.type() != DnsWire.TYPE_OPT) {
                ttlAt[k] = r.ttlAt();
                ttl[k++] = r.ttl() > Integer.MAX_VALUE ? 0 : r.ttl();
            }
        }
        if (message.length > maxBytes) {
            return;
        }
        remove(asked.key());
        entries.put(asked.key(), new Entry(message, questionEnd, ttlAt, ttl, lifetime, nanos.getAsLong()));
        bytes += message.length;
        inserts++;
        Iterator<Map.Entry<Key, Entry>> eldest = entries.entrySet().iterator();
        while (entries.size() > maxEntries || bytes > maxBytes) {
            bytes -= eldest.next().getValue().message().length;
            eldest.remove();
            evictions++;
        }
    }

    private static boolean sameQuestion(ByteBuf answer, int base, String question) {
        for (int i = 0; i < question.length(); i++) {
            int b = answer.getUnsignedByte(base + DnsWire.HEADER + i);
            if (i < question.length() - 4 && b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != question.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void remove(Key key) {
        Entry old = entries.remove(key);
        if (old != null) {
            bytes -= old.message().length;
        }
    }

    synchronized DnsStats.Cache stats() {
        return new DnsStats.Cache(hits, misses, inserts, evictions, entries.size(), bytes);
    }
}
