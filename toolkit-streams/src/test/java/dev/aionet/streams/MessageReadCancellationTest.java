package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing is lost to a cancel: a message leaves the reader's queue only through a read whose
 * caller gets it, however often reads time out around its arrival (the bug class of Python
 * websockets' {@code wait_for(ws.recv())}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MessageReadCancellationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** How many timed reads race the sender (the figure; -Daionet.races=N to change). */
  private static final int RACES = Integer.getInteger("aionet.races", 100_000);

  /** A timeout between 1 us and 1 ms, spread evenly on a log scale. */
  private static Duration timeoutFor(int attempt) {
    double exponent = (attempt % 31) / 30.0 * 3; // 10^0 .. 10^3 microseconds
    return Duration.ofNanos((long) (1000 * Math.pow(10, exponent)));
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void reads_timingOutAroundASteadySenderLoseAndDuplicateNoMessage(Transport transport) {
    AtomicLong sent = new AtomicLong();
    try (TestLoop t = TestLoop.create(transport, 2)) {
      // The server sends numbered lines, one per loop turn, until the client says "stop".
      Server server = t.run(() -> Messages.startServer((MessageReader<String> reader, MessageWriter<String> writer) -> {
        Promise<String> stop = reader.read();
        return Aio.repeatWhile(() -> {
          if (stop.isDone()) {
            writer.write("end " + sent.get());
            return Promise.completed(false);
          }
          writer.write(Long.toString(sent.getAndIncrement()));
          return writer.drain().thenCompose(x -> Aio.sleep(Duration.ZERO)).thenApply(x -> true);
        });
      }, Codec.lines(64), "127.0.0.1", 0));
      MessageConnection<String, String> c = t.run(() -> Messages.openConnection(Codec.lines(64), "127.0.0.1",
          server.port()));
      AtomicLong expected = new AtomicLong();
      AtomicInteger attempts = new AtomicInteger();
      AtomicInteger timeouts = new AtomicInteger();
      long[] total = new long[1];
      t.run(() -> Aio.repeatWhile(() -> {
        int attempt = attempts.getAndIncrement();
        if (attempt == RACES) {
          c.writer().write("stop");
        }
        Promise<String> read = attempt < RACES ? Aio.waitFor(c.reader().read(), timeoutFor(attempt)) : c.reader().read();
        return read.handle((line, error) -> {
          if (error instanceof AsyncTimeoutException) {
            timeouts.incrementAndGet();
            return true;
          }
          assertThat(error).isNull();
          assertThat(line).as("the stream ended before the server's final count").isNotNull();
          if (line.startsWith("end ")) {
            total[0] = Long.parseLong(line.substring(4));
            return false;
          }
          assertThat(Long.parseLong(line)).as("the next message, none lost or repeated").isEqualTo(expected.get());
          expected.incrementAndGet();
          return true;
        });
      }));
      assertThat(expected.get()).as("every message sent was read").isEqualTo(total[0]);
      assertThat(timeouts.get()).as("the reads did race the sender").isPositive();
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
