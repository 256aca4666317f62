package dev.aionet.bench;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.StreamReader;
import dev.aionet.streams.StreamWriter;
import dev.aionet.streams.internal.StreamAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * The in-process side of the echo benchmarks that run without a socket: an
 * {@link EmbeddedChannel} that stays writable for a whole invocation, input fed to it in buffers
 * of a fixed size (each one {@code channelRead} plus {@code channelReadComplete}, as one read
 * burst of a socket), and a check that every byte came back, in order.
 */
final class EmbeddedEcho {
  private final byte[] data;
  private final int arrival;
  /** Above what one invocation writes: the channel stays writable without a flush. */
  private final WriteBufferWaterMark neverFull;

  /**
   * @param total bytes fed per invocation
   * @param arrival bytes per received buffer (a multiple of which is {@code total})
   */
  EmbeddedEcho(int total, int arrival) {
    this.data = new byte[total];
    this.arrival = arrival;
    this.neverFull = new WriteBufferWaterMark(4 * total, 8 * total);
    for (int i = 0; i < total; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
  }

  EmbeddedChannel channel() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setWriteBufferWaterMark(neverFull);
    return channel;
  }

  void feedAll(EmbeddedChannel channel) {
    for (int offset = 0; offset < data.length; offset += arrival) {
      channel.writeInbound(Unpooled.wrappedBuffer(data, offset, arrival));
    }
  }

  /** An echo loop on a connection's reader and writer, as the benchmark servers run it. */
  interface EchoLoop {
    Promise<Void> echo(StreamReader reader, StreamWriter writer, int readSize);
  }

  /**
   * Starts {@code loop} on an aionet adapter in a new channel, on the current loop thread, then
   * feeds it every input buffer while it waits for them, as a socket would, then EOF.
   *
   * @return the bytes echoed, once the loop has ended (checked as {@link #echoed} checks them)
   */
  Promise<Long> echoWhileArriving(EchoLoop loop, int readSize) {
    EmbeddedChannel channel = channel();
    StreamAdapter adapter = StreamAdapter.install(channel, LoopThread.require(), 65_536);
    Promise<Void> echo = loop.echo(adapter.reader(), adapter.writer(), readSize);
    feedAll(channel);
    channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    return echo.thenApply(x -> echoed(channel));
  }

  /** Counts and releases what the channel sent; fails the benchmark unless it is all the input, in order. */
  long echoed(EmbeddedChannel channel) {
    long bytes = 0;
    boolean same = true;
    for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      int n = out.readableBytes();
      if (n > 0 && bytes + n <= data.length) { // (close() writes an empty buffer last)
        same &= out.getByte(out.readerIndex() + n - 1) == data[(int) bytes + n - 1];
      }
      bytes += n;
      out.release();
    }
    channel.finishAndReleaseAll();
    LoopBenchmark.check(bytes == data.length && same,
        bytes + " of " + data.length + " bytes echoed" + (same ? "" : ", out of order"));
    return bytes;
  }
}
