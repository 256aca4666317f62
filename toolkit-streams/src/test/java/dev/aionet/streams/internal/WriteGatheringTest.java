package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static dev.aionet.streams.internal.WriterTesting.drainOutbound;
import static dev.aionet.streams.internal.WriterTesting.nextTurn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.TestLoop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Small {@code write(byte[])} calls of one turn reach the channel as one buffer, as asyncio's
 * transport gathers them in one bytearray: the seed's loop of 100-byte writes costs one channel
 * write per turn. Order, accounting, backpressure and close are as if each write were sent alone.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WriteGatheringTest {

  /** Records the size of every buffer written into the channel, then passes it on. */
  static final class WriteSizes extends ChannelOutboundHandlerAdapter {
    final List<Integer> sizes = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      sizes.add(((ByteBuf) msg).readableBytes());
      ctx.write(msg, promise);
    }
  }



  @Test
  void smallWritesOfOneTurnReachTheChannelAsOneBufferInOrder() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        WriteSizes sizes = new WriteSizes();
        EmbeddedChannel ch = new EmbeddedChannel(sizes);
        StreamWriterImpl writer = StreamAdapter.install(ch, LoopThread.require(), 1024).writer();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 11; i++) {
          byte[] chunk = ("chunk " + i + ";").getBytes(US_ASCII);
          writer.write(chunk);
          Arrays.fill(chunk, (byte) '!'); // the caller may reuse its array at once
          expected.append("chunk ").append(i).append(';');
        }
        assertThat(writer.writeBufferSize()).isEqualTo(expected.length());
        return nextTurn().thenApply(x -> {
          assertThat(sizes.sizes).containsExactly(expected.length());
          assertThat(drainOutbound(ch)).isEqualTo(expected.toString());
          assertThat(writer.writeBufferSize()).isZero();
          writer.close();
          ch.finishAndReleaseAll();
          return null;
        });
      });
    }
  }

  @Test
  void aBufferWrittenBetweenGatheredWritesKeepsItsPlace() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamWriterImpl writer = StreamAdapter.install(ch, LoopThread.require(), 1024).writer();
        writer.write("one ".getBytes(US_ASCII));
        writer.write(Unpooled.copiedBuffer("two ", US_ASCII));
        writer.write("three ", US_ASCII);
        writer.write("four".getBytes(US_ASCII));
        return nextTurn().thenApply(x -> {
          assertThat(drainOutbound(ch)).isEqualTo("one two three four");
          writer.close();
          ch.finishAndReleaseAll();
          return null;
        });
      });
    }
  }

  @Test
  void writesBeyondTheGatherLimitGoOutInBoundedBuffers() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        WriteSizes sizes = new WriteSizes();
        EmbeddedChannel ch = new EmbeddedChannel(sizes);
        StreamWriterImpl writer = StreamAdapter.install(ch, LoopThread.require(), 1024).writer();
        byte[] kib = new byte[1024];
        for (int i = 0; i < 40; i++) {
          writer.write(kib);
        }
        writer.write(new byte[100_000]); // large: a buffer of its own
        assertThat(writer.writeBufferSize()).isEqualTo(40 * 1024 + 100_000);
        return nextTurn().thenApply(x -> {
          int limit = StreamWriterImpl.GATHER_LIMIT; // 16 KiB
          assertThat(sizes.sizes).containsExactly(limit, limit, 40 * 1024 - 2 * limit, 100_000);
          writer.close();
          ch.finishAndReleaseAll();
          return null;
        });
      });
    }
  }

  @Test
  void drainCountsGatheredBytesAgainstTheHighWaterMark() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512, 1024));
        StreamWriterImpl writer = StreamAdapter.install(ch, LoopThread.require(), 1024).writer();
        writer.write(new byte[100]);
        assertThat(writer.drain().isDone()).as("100 bytes are under the mark").isTrue();
        assertThat(ch.outboundMessages()).as("still gathered until the turn's flush").isEmpty();
        writer.write(new byte[1900]);
        writer.drain();
        // Over the mark, drain() hands the gathered bytes to the channel and flushes them now,
        // as it does for bytes written to the channel, instead of waiting for the turn's end.
        assertThat(drainOutbound(ch)).hasSize(2000);
        writer.close();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }

  @Test
  void closeSendsGatheredBytesFirstAndAbortDropsThem() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        EmbeddedChannel closed = new EmbeddedChannel();
        StreamWriterImpl writer = StreamAdapter.install(closed, LoopThread.require(), 1024).writer();
        writer.write("last words".getBytes(US_ASCII));
        writer.close();
        assertThat(closed.isOpen()).isFalse();
        assertThat(drainOutbound(closed)).isEqualTo("last words");
        closed.finishAndReleaseAll();

        EmbeddedChannel aborted = new EmbeddedChannel();
        StreamWriterImpl abortedWriter = StreamAdapter.install(aborted, LoopThread.require(), 1024).writer();
        abortedWriter.write("never sent".getBytes(US_ASCII));
        abortedWriter.abort(); // the leak detector fails the class if the gathered buffer leaks
        assertThat(aborted.isOpen()).isFalse();
        assertThat(drainOutbound(aborted)).isEmpty();
        assertThat(abortedWriter.writeBufferSize()).isZero();
        aborted.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }
}
