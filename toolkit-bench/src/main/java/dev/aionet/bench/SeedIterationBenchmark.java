package dev.aionet.bench;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.samples.EchoServer;
import dev.aionet.streams.internal.StreamAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
  private static final EmbeddedEcho ECHO = new EmbeddedEcho(ITERATIONS * READ_SIZE, ARRIVAL);

  @Benchmark
  public long aionetBuffered() {
    return onLoop(() -> {
      EmbeddedChannel channel = ECHO.channel();
      StreamAdapter adapter = StreamAdapter.install(channel, LoopThread.require(), 65_536);
      ECHO.feedAll(channel);
      channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      return EchoServer.echo(adapter.reader(), adapter.writer(), READ_SIZE).thenApply(x -> ECHO.echoed(channel));
    });
  }

  @Benchmark
  public long aionetArriving() {
    return onLoop(() -> ECHO.echoWhileArriving(EchoServer::echo, READ_SIZE));
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
    EmbeddedChannel channel = ECHO.channel();
    channel.pipeline().addLast(new ReadBytesEcho(gather));
    ECHO.feedAll(channel);
    channel.close();
    return ECHO.echoed(channel);
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
