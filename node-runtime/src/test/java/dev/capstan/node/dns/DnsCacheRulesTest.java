package dev.capstan.node.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What {@link DnsCache} keeps and serves, on messages built here byte by byte (the cases a test upstream does
 * not produce): sizes, foreign questions, OPT records in odd places, zero TTLs, the byte bound.
 */
class DnsCacheRulesTest {
    private static final String NAME = "www.example";
    private final AtomicLong clock = new AtomicLong();
    private DnsCache cache = new DnsCache(DnsForwarding.DEFAULTS, clock::get);

    /** An answer to {@code A NAME}: flags, then records as (type, ttl, data length), an OPT record as type 41. */
    private static ByteBuf answer(int flags, int[]... records) {
        return answerTo(DnsProbe.query(NAME, DnsProbe.A, 0x5555), flags, records);
    }

    private static ByteBuf answerTo(byte[] question, int flags, int[]... records) {
        ByteBuffer b = ByteBuffer.allocate(70_000).put(question);
        b.putShort(2, (short) (0x8000 | flags));
        int answers = 0;
        int additional = 0;
        for (int[] r : records) {
            b.put((byte) 0xC0).put((byte) 12); // the question's name
            if (r[0] == DnsWire.TYPE_OPT) {
                b.position(b.position() - 2).put((byte) 0).putShort((short) 41).putShort((short) 4096).putInt(r[1]);
                additional++;
            } else {
                b.putShort((short) r[0]).putShort((short) 1).putInt(r[1]);
                answers++;
            }
            b.putShort((short) r[2]).put(new byte[r[2]]);
        }
        b.putShort(6, (short) answers).putShort(10, (short) additional);
        return Unpooled.wrappedBuffer(b.array(), 0, b.position());
    }

    private DnsCache.Asked asked(byte[] query) {
        ByteBuf q = Unpooled.wrappedBuffer(query);
        return cache.asked(q, DnsWire.question(q));
    }

    /** The served answer's bytes, or null. */
    private byte[] get(byte[] query, boolean udp) {
        ByteBuf q = Unpooled.wrappedBuffer(query);
        ByteBuf served = cache.get(cache.asked(q, DnsWire.question(q)), q, udp, ByteBufAllocator.DEFAULT);
        if (served == null) {
            return null;
        }
        try {
            return io.netty.buffer.ByteBufUtil.getBytes(served);
        } finally {
            served.release();
        }
    }

    private static byte[] plain() {
        return DnsProbe.query(NAME, DnsProbe.A, 1);
    }

    @Test
    void anAnswerLargerThanTheClientsUdpSizeIsNotServedOverUdp() {
        cache.put(asked(DnsProbe.query(NAME, DnsProbe.A, 1, 4096, false, false)), answer(0, new int[]{1, 60, 1000}));
        assertThat(get(plain(), true)).as("512 bytes without EDNS").isNull();
        assertThat(get(DnsProbe.query(NAME, DnsProbe.A, 2, 1200, false, false), true)).isNotNull();
        assertThat(get(plain(), false)).as("over TCP").isNotNull();
        assertThat(cache.stats().hits()).isEqualTo(2);
        assertThat(cache.stats().misses()).isEqualTo(1);
    }

    @Test
    void onlyAnswersToTheQuestionAskedAreKept() {
        cache.put(asked(DnsProbe.query("other.example", DnsProbe.A, 1)), answer(0, new int[]{1, 60, 4}));
        cache.put(asked(DnsProbe.query(NAME, DnsProbe.AAAA, 1)), answer(0, new int[]{1, 60, 4}));
        assertThat(cache.stats().entries()).isZero();
        cache.put(asked(DnsProbe.query("WWW.example", DnsProbe.A, 1)), answer(0, new int[]{1, 60, 4}));
        assertThat(cache.stats().entries()).as("the name without case").isEqualTo(1);
    }

    @Test
    void oddAnswersAreNotKept() {
        cache.put(asked(plain()), answer(0, new int[]{1, 0, 4}));
        cache.put(asked(plain()), answer(0, new int[]{DnsWire.TYPE_OPT, 0, 0}, new int[]{1, 60, 4}));
        cache.put(asked(plain()), answer(0, new int[]{1, 60, 4}, new int[]{DnsWire.TYPE_OPT, 1 << 24, 0}));
        cache.put(asked(plain()), answer(0x0400 | 5, new int[]{1, 60, 4}));
        cache.put(asked(plain()), answer(0, new int[]{1, 60, 4}).slice(0, 30));
        assertThat(cache.stats().inserts()).as("TTL 0, OPT not last, extended rcode, REFUSED, cut short").isZero();
    }

    @Test
    void theSmallestTtlOfAnyRecordDecidesAndTheOptRecordIsTheServers() {
        cache.put(asked(plain()), answer(0, new int[]{1, 300, 4}, new int[]{1, 10, 4},
                new int[]{DnsWire.TYPE_OPT, 0x8000, 0}));
        clock.addAndGet(9_999_999_999L);
        byte[] served = get(plain(), true);
        assertThat(DnsWire.records(Unpooled.wrappedBuffer(served))).extracting(DnsWire.Rr::ttl).containsExactly(1L, 1L);
        clock.addAndGet(1);
        assertThat(get(plain(), true)).isNull();
        assertThat(cache.stats().entries()).as("dropped when found expired").isZero();
    }

    @Test
    void theByteBoundEvictsTheLeastRecentlyUsed() {
        cache = new DnsCache(new DnsForwarding(DnsForwarding.DEFAULTS.timeout(), 100, 700, DnsForwarding.DEFAULTS
                .maxTtl(), DnsForwarding.DEFAULTS.maxNegativeTtl(), DnsForwarding.DEFAULTS.backoff(),
                DnsForwarding.DEFAULTS.maxBackoff()), clock::get);
        cache.put(asked(plain()), answer(0, new int[]{1, 60, 400}));
        byte[] aaaa = DnsProbe.query(NAME, DnsProbe.AAAA, 1);
        cache.put(asked(aaaa), answerTo(aaaa, 0, new int[]{28, 60, 400}));
        assertThat(cache.stats().entries()).isEqualTo(1);
        assertThat(cache.stats().evictions()).isEqualTo(1);
        assertThat(cache.stats().bytes()).isLessThanOrEqualTo(700);
        assertThat(get(aaaa, false)).as("the newer one stays").isNotNull();
        byte[] txt = DnsProbe.query(NAME, DnsProbe.TXT, 1);
        cache.put(asked(txt), answerTo(txt, 0, new int[]{16, 60, 800}));
        assertThat(cache.stats().inserts()).as("larger than the whole cache: not kept").isEqualTo(2);
    }
}
