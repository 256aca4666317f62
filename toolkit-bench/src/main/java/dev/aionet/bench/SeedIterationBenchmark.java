package dev.aionet.bench;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.samples.EchoServer;
import dev.aionet.streams.internal.StreamAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * One iteration of the seed's echo loop ({@code EchoServer.echo}: {@code read(100)}, a
 * {@code write(byte[])} that is gathered, a {@code drain()} that is already satisfied, and
 * {@code repeatWhile}'s step), beside the same work written directly on Netty: a handler that
 * reads 100 bytes at a time into a new {@code byte[]} and writes them back. One operation is one
 * iteration: 100 bytes copied in and copied out, 10,000 per invocation.
 *
 * <p>Every variant runs in an {@link EmbeddedChannel} (no socket: what is measured is the
 * per-iteration work, not system calls), fed the same 1,000-byte buffers, with water marks high
 * enough that the channel stays writable; every echoed byte is counted.
 * <ul>
 *   <li>{@code aionetBuffered}: all input is buffered before the loop starts, then EOF: every
 *       read completes at once, the pure iteration;
 *   <li>{@code aionetArriving}: the loop starts first and each 1,000-byte buffer arrives while
 *       its read waits, as on a socket: ten iterations complete at once, the eleventh waits;
 *   <li>{@code nettyWrappedWrites}: {@code readBytes} into a {@code byte[100]}, then a
 *       {@code ctx.write} of it wrapped, one flush per read (Netty's echo handler habit);
 *   <li>{@code nettyGatheredWrites}: the same, but each {@code byte[100]} is copied into one
 *       pooled buffer written per read, what aionet's writer does with small writes.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SeedIterationBenchmark.ITERATIONS)
public class SeedIterationBenchmark extends LoopBenchmark {
  static final int ITERATIONS = 10_000;
  /** The seed's {@code read(100)}. */
  static final int READ_SIZE = 100;
  /** Bytes per received buffer: a 1,000-byte request. */
  static final int ARRIVAL = 1_000;
  private static final byte[] DATA = new byte[ITERATIONS * READ_SIZE];
  /** Above what one invocation writes: the channel stays writable without a flush. */
  private static final WriteBufferWaterMark NEVER_FULL = new WriteBufferWaterMark(4 * DATA.length, 8 * DATA.length);

  static {
    for (int i = 0; i < DATA.length; i++) {
      DATA[i] = (byte) (i * 31 + 7);
    }
  }

  @Benchmark
  public long aionetBuffered() {
    return onLoop(() -> {
      EmbeddedChannel channel = channel();
      StreamAdapter adapter = StreamAdapter.install(channel, LoopThread.require(), 65_536);
      feedAll(channel);
      channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      return EchoServer.echo(adapter.reader(), adapter.writer(), READ_SIZE).thenApply(x -> echoed(channel));
    });
  }

  @Benchmark
  public long aionetArriving() {
    return onLoop(() -> {
      EmbeddedChannel channel = channel();
      StreamAdapter adapter = StreamAdapter.install(channel, LoopThread.require(), 65_536);
      Promise<Void> echo = EchoServer.echo(adapter.reader(), adapter.writer(), READ_SIZE);
      feedAll(channel);
      channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      return echo.thenApply(x -> echoed(channel));
    });
  }

  @Benchmark
  public long nettyWrappedWrites() {
    return onLoop(() -> Promise.completed(nettyEcho(false)));
  }

  @Benchmark
  public long nettyGatheredWrites() {
    return onLoop(() -> Promise.completed(nettyEcho(true)));
  }

  private static long nettyEcho(boolean gather) {
    EmbeddedChannel channel = channel();
    channel.pipeline().addLast(new ReadBytesEcho(gather));
    feedAll(channel);
    channel.close();
    return echoed(channel);
  }

  private static EmbeddedChannel channel() {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setWriteBufferWaterMark(NEVER_FULL);
    return channel;
  }

  private static void feedAll(EmbeddedChannel channel) {
    for (int offset = 0; offset < DATA.length; offset += ARRIVAL) {
      channel.writeInbound(Unpooled.wrappedBuffer(DATA, offset, ARRIVAL));
    }
  }

  /** Counts and releases what the channel sent; fails the benchmark unless it is all of DATA, in order. */
  private static long echoed(EmbeddedChannel channel) {
    long bytes = 0;
    boolean same = true;
    for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      int n = out.readableBytes();
      if (n > 0 && bytes + n <= DATA.length) { // (close() writes an empty buffer last)
        same &= out.getByte(out.readerIndex() + n - 1) == DATA[(int) bytes + n - 1];
      }
      bytes += n;
      out.release();
    }
    channel.finishAndReleaseAll();
    check(bytes == DATA.length && same, bytes + " of " + DATA.length + " bytes echoed" + (same ? "" : ", out of order"));
    return bytes;
  }

  /** The seed's loop on plain Netty: 100 bytes at a time into a new array, then written back. */
  private static final class ReadBytesEcho extends ChannelInboundHandlerAdapter {
    private final boolean gather;
    private ByteBuf gathered;

    ReadBytesEcho(boolean gather) {
      this.gather = gather;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        while (in.isReadable()) {
          byte[] data = new byte[Math.min(READ_SIZE, in.readableBytes())];
          in.readBytes(data);
          if (!gather) {
            ctx.write(Unpooled.wrappedBuffer(data), ctx.voidPromise());
          } else {
            if (gathered == null) {
              gathered = ctx.alloc().ioBuffer(2048);
            }
            gathered.writeBytes(data);
          }
        }
      } finally {
        in.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (gathered != null) {
        ctx.write(gathered, ctx.voidPromise());
        gathered = null;
      }
      ctx.flush();
    }
  }
}
