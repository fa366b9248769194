package dev.capstan.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayTest {

    @Test
    void readingStopsWhileThePeerIsNotWritableAndResumesWhenItIs() {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel server = new EmbeddedChannel();
        server.config().setWriteBufferWaterMark(new WriteBufferWaterMark(4, 8));
        Relay toServer = new Relay(server);
        client.pipeline().addLast(toServer);
        server.pipeline().addLast(new Relay(client));

        client.pipeline().fireChannelRead(Unpooled.copiedBuffer("0123456789abcdef", StandardCharsets.US_ASCII));
        assertThat(server.isWritable()).isFalse();
        assertThat(client.config().isAutoRead()).as("client reading stopped").isFalse();

        client.pipeline().fireChannelReadComplete(); // flushes to the server, which drains
        assertThat(server.isWritable()).isTrue();
        assertThat(client.config().isAutoRead()).as("client reading resumed").isTrue();
        ByteBuf out = server.readOutbound();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("0123456789abcdef");
        out.release();
    }

    @Test
    void whenOneSideClosesTheOtherIsClosed() {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel server = new EmbeddedChannel(new Relay(client));
        server.close();
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void aMessageWithNoPeerIsReleased() {
        EmbeddedChannel client = new EmbeddedChannel(new Relay(null));
        ByteBuf b = Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII);
        client.writeInbound(b);
        assertThat(b.refCnt()).isZero();
        assertThat(client.inboundMessages()).isEmpty();
    }

    @Test
    void roundRobinStartsOneFurtherEachTime() {
        Backends b = new Backends();
        var x = new java.net.InetSocketAddress("127.0.0.1", 1);
        var y = new java.net.InetSocketAddress("127.0.0.1", 2);
        b.set(List.of(x, y));
        assertThat(b.order()).containsExactly(x, y);
        assertThat(b.order()).containsExactly(y, x);
        assertThat(b.order()).containsExactly(x, y);
        b.set(List.of());
        assertThat(b.order()).isEmpty();
    }
}
