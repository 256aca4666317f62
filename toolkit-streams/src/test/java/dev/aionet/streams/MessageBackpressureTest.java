package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A handler that reads slowly holds at most {@code messageLimit} messages plus what one socket
 * read decodes: reading pauses (autoRead off) at the limit and resumes at half of it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MessageBackpressureTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int FRAME = 64; // 4-byte length + 60 bytes
  private static final int LIMIT = 32;
  /** Bytes the client sends (-Daionet.backpressureBytes=N for the 1 GB run). */
  private static final long TOTAL = Long.getLong("aionet.backpressureBytes", 8L << 20);

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aSlowReaderHoldsAtMostTheLimitPlusOneSocketReadOfMessages(Transport transport) {
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
      while (received.get() < frames && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // the slow reader catches up (not spinning: the loop's two threads need the cores)
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
