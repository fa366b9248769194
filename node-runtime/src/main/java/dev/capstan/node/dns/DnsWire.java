package dev.capstan.node.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The few things the forwarding path reads and writes in raw DNS messages (RFC 1035 §4.1), so that a forwarded
 * query and its answer pass through byte for byte (EDNS options, compressed names and records Netty's codec does
 * not know included): the id, the first question, and an error response built from a query.
 */
final class DnsWire {
    static final int HEADER = 12;
    static final int RCODE_SERVFAIL = 2;
    static final int RCODE_REFUSED = 5;

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
}
