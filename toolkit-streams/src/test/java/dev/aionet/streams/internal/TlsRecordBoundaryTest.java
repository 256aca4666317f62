package dev.aionet.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record tracker in front of the SslHandler, on an EmbeddedChannel: it passes every byte on
 * untouched, follows record framing across any split, and turns a FIN that comes mid-record
 * (in a header or in a body) into {@link TlsRecordBoundary#TRUNCATED}, a FIN at a boundary into
 * nothing but itself.
 */
class TlsRecordBoundaryTest {
  /** Two records: a 3-byte body, then a 300-byte body (length bytes 0x01 0x2c). */
  private static final byte[] RECORDS = records();

  private static byte[] records() {
    byte[] out = new byte[5 + 3 + 5 + 300];
    out[0] = 23;
    out[1] = 3;
    out[2] = 3;
    out[4] = 3;
    out[8] = 23;
    out[9] = 3;
    out[10] = 3;
    out[11] = 0x01;
    out[12] = 0x2c;
    return out;
  }

  /** Records the user events that pass the tracker. */
  private static final class Events extends ChannelInboundHandlerAdapter {
    final List<Object> seen = new ArrayList<>();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      seen.add(evt);
    }
  }

  /** Feeds the first {@code length} bytes of {@link #RECORDS} in pieces of {@code step}, then a FIN. */
  private static List<Object> finAfter(int length, int step) {
    Events events = new Events();
    EmbeddedChannel ch = new EmbeddedChannel(new TlsRecordBoundary(), events);
    int passed = 0;
    for (int i = 0; i < length; i += step) {
      ch.writeInbound(Unpooled.wrappedBuffer(RECORDS, i, Math.min(step, length - i)));
      for (ByteBuf b = ch.readInbound(); b != null; b = ch.readInbound()) {
        passed += b.readableBytes();
        b.release();
      }
    }
    assertThat(passed).as("every byte passed on").isEqualTo(length);
    ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    ch.finishAndReleaseAll();
    return events.seen;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 7, 64, 1000})
  void aFinAtARecordBoundaryPassesAsItIs(int step) {
    assertThat(finAfter(0, step)).containsExactly(ChannelInputShutdownEvent.INSTANCE);
    assertThat(finAfter(8, step)).containsExactly(ChannelInputShutdownEvent.INSTANCE);
    assertThat(finAfter(RECORDS.length, step)).containsExactly(ChannelInputShutdownEvent.INSTANCE);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 7, 64, 1000})
  void aFinInAHeaderOrABodyIsATruncation(int step) {
    assertThat(finAfter(4, step)).as("in the first header").containsExactly(TlsRecordBoundary.TRUNCATED);
    assertThat(finAfter(6, step)).as("in the first body").containsExactly(TlsRecordBoundary.TRUNCATED);
    assertThat(finAfter(12, step)).as("before the second length's low byte").containsExactly(TlsRecordBoundary.TRUNCATED);
    assertThat(finAfter(RECORDS.length - 1, step)).as("one byte short").containsExactly(TlsRecordBoundary.TRUNCATED);
  }

  @Test
  void otherEventsPassUntouched() {
    Events events = new Events();
    EmbeddedChannel ch = new EmbeddedChannel(new TlsRecordBoundary(), events);
    ch.pipeline().fireUserEventTriggered("something else");
    assertThat(events.seen).containsExactly("something else");
    ch.finishAndReleaseAll();
  }
}
