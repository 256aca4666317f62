package dev.aionet.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.streams.ClientOptions;
import dev.aionet.streams.Connection;
import dev.aionet.streams.ConnectionResetException;
import dev.aionet.streams.Server;
import dev.aionet.streams.ServerOptions;
import dev.aionet.streams.StreamReader;
import dev.aionet.streams.StreamWriter;
import dev.aionet.streams.Streams;
import dev.aionet.streams.TestLoop;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Memory stays bounded both ways, measured on the
 * reader's buffer after every arrival and on the writer's unwritten bytes after every write.
 */
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackpressureTest {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BackpressureTest.class);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long TOTAL = 200L << 20;
  private static final int LIMIT = 64 * 1024;
  /** Netty's adaptive receive buffer never grows past 64 KiB: at most one read lands after autoRead off. */
  private static final int ONE_SOCKET_READ = 64 * 1024;

  /** Records the most bytes the stream reader behind it ever held, after each arrival. */
  static final class BufferProbe extends ChannelInboundHandlerAdapter {
    final AtomicLong max;

    BufferProbe(AtomicLong max) {
      this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.fireChannelRead(msg);
      StreamAdapter adapter = ctx.pipeline().get(StreamAdapter.class);
      max.accumulateAndGet(adapter.reader().bufferedBytes(), Math::max);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aSlowReaderNeverHoldsMoreThanAboutTwiceTheLimit(Transport transport) {
    AtomicLong maxBuffered = new AtomicLong();
    AtomicLong received = new AtomicLong();
    try (TestLoop t = TestLoop.create(transport)) {
      ServerOptions options = ServerOptions.builder().limit(LIMIT)
          .pipeline(p -> p.addLast(new BufferProbe(maxBuffered))).build();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> readSlowly(reader, received, 0),
          "127.0.0.1", 0, options));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      // No writeEof(): after the peer's FIN, Netty's epoll transport reads everything the kernel
      // still holds regardless of autoRead (netty#3709), so the bound is measured before it.
      t.run(() -> send(c.writer(), new byte[256 * 1024], TOTAL));
      server.close();
      server.waitClosed().join(WAIT);
      c.writer().close();
    }
    log.info("{}: 200 MiB to a slow reader with limit {}: the reader held at most {} bytes",
        transport, LIMIT, maxBuffered.get());
    assertThat(received.get()).isEqualTo(TOTAL);
    assertThat(maxBuffered.get()).isGreaterThan(LIMIT).isLessThanOrEqualTo(2L * LIMIT + ONE_SOCKET_READ);
  }

  /** Reads 16 KiB at a time and naps 1 ms after every MiB, until all was received. */
  private static Promise<Void> readSlowly(StreamReader reader, AtomicLong received, int reads) {
    return reader.read(16 * 1024).thenCompose(data -> {
      if (data.length == 0 || received.addAndGet(data.length) == TOTAL) {
        return Promise.completed(null);
      }
      Promise<Void> pause = reads % 64 == 63 ? Aio.sleep(Duration.ofMillis(1)) : Promise.completed(null);
      return pause.thenCompose(x -> readSlowly(reader, received, reads + 1));
    });
  }

  private static Promise<Void> send(StreamWriter writer, byte[] chunk, long left) {
    if (left <= 0) {
      return Promise.completed(null);
    }
    writer.write(chunk);
    return writer.drain().thenCompose(x -> send(writer, chunk, left - chunk.length));
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aWriterThatDrainsHoldsAtMostTheHighWaterMarkPlusOneWrite(Transport transport) throws Exception {
    int chunk = 64 * 1024;
    int high = 64 * 1024;
    AtomicLong maxUnwritten = new AtomicLong();
    AtomicReference<Promise<Void>> currentDrain = new AtomicReference<>();
    AtomicReference<Throwable> handlerEnd = new AtomicReference<>();
    try (TestLoop t = TestLoop.create(transport)) {
      ServerOptions options = ServerOptions.builder().writeBufferWaterMark(high / 2, high).build();
      Server server = t.run(() -> Streams.startServer((reader, writer) ->
          writeForever(writer, new byte[chunk], TOTAL, maxUnwritten, currentDrain)
              .handle((x, e) -> {
                handlerEnd.set(e);
                return null;
              }), "127.0.0.1", 0, options));
      // The client never reads: its reader pauses at 2 x 1024 bytes, then the kernel buffers fill.
      // No lingering close: closing with unread input then resets the connection, which the
      // server's writer must see.
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port(),
          ClientOptions.builder().limit(1024).lingerTimeout(Duration.ZERO).build()));
      Promise<Void> stuck = waitForADrainPendingFor(currentDrain, Duration.ofSeconds(1));
      assertThat(stuck.isDone()).isFalse();
      c.writer().close(); // closing with unread input resets the connection
      server.close();
      server.waitClosed().join(WAIT);
    }
    log.info("{}: writer to a peer that does not read, high-water mark {}: at most {} bytes unwritten",
        transport, high, maxUnwritten.get());
    assertThat(maxUnwritten.get()).isPositive().isLessThanOrEqualTo(high + chunk);
    assertThat(handlerEnd.get()).isInstanceOf(ConnectionResetException.class);
  }

  private static Promise<Void> writeForever(StreamWriter writer, byte[] chunk, long left, AtomicLong maxUnwritten,
      AtomicReference<Promise<Void>> currentDrain) {
    if (left <= 0) {
      return Promise.completed(null);
    }
    writer.write(chunk);
    maxUnwritten.accumulateAndGet(writer.writeBufferSize(), Math::max);
    Promise<Void> drained = writer.drain();
    currentDrain.set(drained);
    return drained.thenCompose(x -> writeForever(writer, chunk, left - chunk.length, maxUnwritten, currentDrain));
  }

  /** Polls until the same drain promise has stayed pending for {@code pending}. */
  private static Promise<Void> waitForADrainPendingFor(AtomicReference<Promise<Void>> current, Duration pending)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Promise<Void> seen = null;
    long seenSince = 0;
    while (System.nanoTime() < deadline) {
      Promise<Void> now = current.get();
      if (now != null && !now.isDone()) {
        if (now != seen) {
          seen = now;
          seenSince = System.nanoTime();
        } else if (System.nanoTime() - seenSince >= pending.toNanos()) {
          return now;
        }
      }
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(10); // polling with a deadline, not waiting for a condition by sleeping
    }
    throw new AssertionError("no drain stayed pending for " + pending);
  }
}
