package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A handler that reads slowly holds at most {@code messageLimit} messages plus what one socket
 * read decodes: reading pauses (autoRead off) at the limit and resumes at half of it, and memory
 * stays flat however much the peer sends ({@code -Daionet.backpressureBytes=1073741824} sends
 * 1 GiB; the default, 8 MiB, keeps the suite short).
 */
// The bound that counts is assertTimeoutPreemptively's, which grows with the bytes sent; this
// one only lifts the suite's default of 60 s for the long run.
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class MessageBackpressureTest {
  /** Bytes the client sends (-Daionet.backpressureBytes=N for the 1 GB run). */
  private static final long TOTAL = Long.getLong("aionet.backpressureBytes", 8L << 20);
  /** A minute, plus a second per 2 MiB beyond the default (a 1 GiB run gets about 9 minutes). */
  private static final Duration WAIT = Duration.ofSeconds(60 + TOTAL / (2 << 20));
  /** Growth of live heap or of Netty's buffer memory that would mean queued frames pile up. */
  private static final long FLAT = 16L << 20;
  private static final int FRAME = 64; // 4-byte length + 60 bytes
  private static final int LIMIT = 32;

  /** Heap in use after a full collection, and the memory Netty's buffer allocator has in use. */
  private static long[] memoryInUse() {
    System.gc();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ByteBufAllocatorMetric buffers = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
    return new long[] {memory.getHeapMemoryUsage().getUsed(), buffers.usedDirectMemory() + buffers.usedHeapMemory()};
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aSlowReaderHoldsAtMostTheLimitPlusOneSocketReadOfMessages(Transport transport) {
    assertTimeoutPreemptively(WAIT.multipliedBy(2), () -> slowReader(transport));
  }

  private void slowReader(Transport transport) {
    AtomicInteger maxQueued = new AtomicInteger();
    AtomicBoolean sawPaused = new AtomicBoolean();
    AtomicLong received = new AtomicLong();
    long frames = TOTAL / FRAME;
    try (TestLoop t = TestLoop.create(transport, 2)) {
      ServerOptions options = ServerOptions.builder().messageLimit(LIMIT).build();
      Server server = t.run(() -> Messages.startServer((MessageReader<ByteBuf> reader, MessageWriter<ByteBuf> writer) ->
          Aio.repeatWhile(() -> reader.read().thenCompose(frame -> {
            if (frame == null) {
              return Promise.completed(false);
            }
            long number = frame.readLong();
            frame.release();
            assertThat(number).as("frames arrive once each, in order").isEqualTo(received.getAndIncrement());
            maxQueued.accumulateAndGet(reader.queued(), Math::max);
            if (!writer.channel().config().isAutoRead()) {
              sawPaused.set(true);
            }
            return Aio.sleep(Duration.ZERO).thenApply(x -> true); // one message per turn: slower than the socket
          })), Codec.lengthPrefixed(1024), "127.0.0.1", 0, options));
      MessageConnection<ByteBuf, ByteBuf> c = t.run(() -> Messages.openConnection(Codec.lengthPrefixed(1024),
          "127.0.0.1", server.port()));
      byte[] payload = new byte[FRAME - 4];
      t.run(() -> Aio.repeatWhile(new dev.aionet.core.Coroutine<Boolean>() {
        long sent;

        @Override
        public Promise<Boolean> call() {
          for (int i = 0; i < 256 && sent < frames; i++, sent++) {
            c.writer().write(Unpooled.buffer(FRAME - 4).writeLong(sent).writeBytes(payload, 0, FRAME - 12));
          }
          return c.writer().drain().thenApply(x -> sent < frames);
        }
      }));
      long deadline = System.nanoTime() + WAIT.toNanos();
      long[] early = null;
      while (received.get() < frames && System.nanoTime() < deadline) {
        if (early == null && received.get() >= frames / 8) {
          early = memoryInUse(); // the queue and the JIT have settled by now
        }
        LockSupport.parkNanos(1_000_000); // the slow reader catches up (not spinning: the loop's two threads need the cores)
      }
      long[] late = memoryInUse();
      if (early != null) {
        assertThat(late[0] - early[0]).as("live heap growth, bytes, over %d bytes sent", TOTAL).isLessThan(FLAT);
        assertThat(late[1] - early[1]).as("buffer memory growth, bytes, over %d bytes sent", TOTAL).isLessThan(FLAT);
      }
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
    assertThat(received.get()).as("every frame arrived").isEqualTo(frames);
    assertThat(sawPaused.get()).as("reading paused at the limit").isTrue();
    int oneSocketRead = 64 * 1024 / FRAME; // Netty reads at most 64 KiB at a time here
    assertThat(maxQueued.get()).isLessThanOrEqualTo(LIMIT + oneSocketRead);
  }
}
