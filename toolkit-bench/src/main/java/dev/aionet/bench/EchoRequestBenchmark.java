package dev.aionet.bench;

import dev.aionet.core.Promise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The work an echo server does for one 1 KiB request apart from the system calls, on aionet and
 * on raw Netty: what the socket benchmarks' CPU per request contains besides the kernel's TCP
 * path, which costs both alike. One operation is one request: a 1,024-byte buffer arrives (one
 * {@code channelRead} and {@code channelReadComplete}, as one read burst of a socket) while the
 * echo waits for it, is written back and flushed; 2,000 per invocation, every echoed byte
 * checked.
 * <ul>
 *   <li>{@code nettyEcho}: the raw Netty echo server's own handler ({@code ctx.write} of the
 *       received buffer, a flush per read burst);
 *   <li>{@code aionetZeroCopy}: the zero-copy echo server's loop ({@code readBuf(65536)},
 *       {@code write(ByteBuf)}, {@code drain()} in {@code repeatWhile});
 *   <li>{@code aionetBytes}: the echo jar's loop ({@code read(65536)} into a {@code byte[]},
 *       {@code write(byte[])}, {@code drain()}).
 * </ul>
 * Run it with {@code InterleavedRun EchoRequestBenchmark 30}: the difference per operation is what
 * aionet adds to each request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(EchoRequestBenchmark.REQUESTS)
public class EchoRequestBenchmark extends LoopBenchmark {
  static final int REQUESTS = 2_000;
  static final int REQUEST_SIZE = 1_024;
  /** The servers' read size: a whole request per read. */
  private static final int READ_SIZE = 65_536;
  private static final EmbeddedEcho ECHO = new EmbeddedEcho(REQUESTS * REQUEST_SIZE, REQUEST_SIZE);

  @Benchmark
  public long nettyEcho() {
    return onLoop(() -> {
      EmbeddedChannel channel = ECHO.channel();
      channel.pipeline().addLast(RawNettyEchoServer.EchoHandler.INSTANCE);
      ECHO.feedAll(channel);
      channel.close();
      return Promise.completed(ECHO.echoed(channel));
    });
  }

  @Benchmark
  public long aionetZeroCopy() {
    return onLoop(() -> ECHO.echoWhileArriving(AionetEchoServer::echoZeroCopy, READ_SIZE));
  }

  @Benchmark
  public long aionetBytes() {
    return onLoop(() -> ECHO.echoWhileArriving(AionetEchoServer::echoBytes, READ_SIZE));
  }
}
