package dev.capstan.node.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few things the forwarding path reads and writes in raw DNS messages (RFC 1035 §4.1), so that a forwarded
 * query and its answer pass through byte for byte (EDNS options, compressed names and records Netty's codec does
 * not know included): the id, the first question, the resource records (where their TTLs are, for the cache), and an
 * error response built from a query.
 */
final class DnsWire {
    static final int HEADER = 12;
    static final int RCODE_SERVFAIL = 2;
    static final int RCODE_NXDOMAIN = 3;
    static final int RCODE_REFUSED = 5;
    static final int TYPE_SOA = 6;
    static final int TYPE_OPT = 41;
    static final int FLAG_TC = 0x0200;
    static final int FLAG_RD = 0x0100;
    static final int FLAG_AD = 0x0020;
    static final int FLAG_CD = 0x0010;
    static final int SECTION_ANSWER = 1;
    static final int SECTION_AUTHORITY = 2;
    static final int SECTION_ADDITIONAL = 3;

    private DnsWire() {
    }

    /**
     * The first question of a query: its name (dotted, without the trailing dot, as written), its type, and where
     * the question ends in the message.
     */
    record Question(String name, int type, int end) {
    }

    /**
     * The first question of the message in {@code msg} (from its reader index, which is left alone), or null when
     * the message is no standard query with a question that can be read without decompression.
     */
    static Question question(ByteBuf msg) {
        int base = msg.readerIndex();
        int len = msg.readableBytes();
        if (len < HEADER) {
            return null;
        }
        int flags = msg.getUnsignedShort(base + 2);
        boolean isResponse = (flags & 0x8000) != 0;
        int opcode = (flags >> 11) & 0xF;
        if (isResponse || opcode != 0 || msg.getUnsignedShort(base + 4) < 1) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int at = HEADER;
        while (true) {
            if (at >= len) {
                return null;
            }
            int label = msg.getUnsignedByte(base + at);
            at++;
            if (label == 0) {
                break;
            }
            if (label > 63 || at + label > len) {
                return null; // a compression pointer or a cut label: let the codec judge it
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(msg.toString(base + at, label, StandardCharsets.ISO_8859_1));
            at += label;
        }
        if (at + 4 > len) {
            return null;
        }
        return new Question(name.toString(), msg.getUnsignedShort(base + at), at + 4);
    }

    /** The message id. */
    static int id(ByteBuf msg) {
        return msg.getUnsignedShort(msg.readerIndex());
    }

    /** The response code (the low 4 bits of the header flags). */
    static int rcode(ByteBuf msg) {
        return msg.getUnsignedShort(msg.readerIndex() + 2) & 0xF;
    }

    /** Whether the message is a response (the QR bit). */
    static boolean isResponse(ByteBuf msg) {
        return msg.readableBytes() >= HEADER && (msg.getUnsignedShort(msg.readerIndex() + 2) & 0x8000) != 0;
    }

    /** Writes {@code id} into the message's header. */
    static void setId(ByteBuf msg, int id) {
        msg.setShort(msg.readerIndex(), id);
    }

    /**
     * A response to {@code query} with this response code and no records: the query's id, opcode, RD bit and its
     * first question, QR and RA set.
     */
    static ByteBuf error(ByteBufAllocator alloc, ByteBuf query, Question q, int rcode) {
        int base = query.readerIndex();
        ByteBuf out = alloc.buffer(q.end());
        out.writeShort(query.getUnsignedShort(base));
        int flags = query.getUnsignedShort(base + 2);
        out.writeShort(0x8000 | (flags & 0x7900) | 0x0080 | rcode); // QR, opcode and RD kept, RA, rcode
        out.writeShort(1).writeShort(0).writeShort(0).writeShort(0);
        out.writeBytes(query, base + HEADER, q.end() - HEADER);
        return out;
    }

    /** The header flags (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
    static int flags(ByteBuf msg) {
        return msg.getUnsignedShort(msg.readerIndex() + 2);
    }

    /**
     * One resource record of a message, offsets counted from the message's start: its section
     * ({@link #SECTION_ANSWER}…), type, class, TTL (as written, unsigned) and where it is, where its data begins and
     * where it ends.
     */
    record Rr(int section, int type, int rclass, long ttl, int start, int ttlAt, int dataAt, int end) {
    }

    /**
     * The resource records of the message in {@code msg} (from its reader index, which is left alone) after its
     * question section, or null when the message cannot be walked (cut short, a label type other than plain and
     * pointer). Names are skipped, never decompressed.
     */
    static List<Rr> records(ByteBuf msg) {
        int base = msg.readerIndex();
        int len = msg.readableBytes();
        if (len < HEADER) {
            return null;
        }
        int at = HEADER;
        for (int i = msg.getUnsignedShort(base + 4); i > 0; i--) {
            at = skipName(msg, base, at, len);
            if (at < 0 || at + 4 > len) {
                return null;
            }
            at += 4;
        }
        List<Rr> out = new ArrayList<>();
        for (int section = SECTION_ANSWER; section <= SECTION_ADDITIONAL; section++) {
            for (int i = msg.getUnsignedShort(base + 4 + 2 * section); i > 0; i--) {
                int start = at;
                at = skipName(msg, base, at, len);
                if (at < 0 || at + 10 > len) {
                    return null;
                }
                int dataAt = at + 10;
                int end = dataAt + msg.getUnsignedShort(base + at + 8);
                if (end > len) {
                    return null;
                }
                out.add(new Rr(section, msg.getUnsignedShort(base + at), msg.getUnsignedShort(base + at + 2),
                        msg.getUnsignedInt(base + at + 4), start, at + 4, dataAt, end));
                at = end;
            }
        }
        return out;
    }

    /** Where the name starting at {@code at} ends (past its last label or its pointer), or -1. */
    private static int skipName(ByteBuf msg, int base, int at, int len) {
        while (at < len) {
            int b = msg.getUnsignedByte(base + at);
            if (b == 0) {
                return at + 1;
            }
            if ((b & 0xC0) == 0xC0) {
                return at + 2 <= len ? at + 2 : -1;
            }
            if ((b & 0xC0) != 0) {
                return -1;
            }
            at += 1 + b;
        }
        return -1;
    }
}
