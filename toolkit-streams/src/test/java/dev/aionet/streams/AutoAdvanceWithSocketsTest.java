package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Coroutine;
import dev.aionet.core.Loop;
import dev.aionet.test.TestLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The virtual clock never jumps past a real peer's answer: it jumps only after the loop was idle
 * for the I/O grace (20 ms) with a socket open, so a (warm) peer on a real loop that answers after
 * 10 ms of real time is always read before a 5 s read timeout fires, whether the client is written
 * with callbacks or as an async body. Each test repeats it {@code -Daionet.autoAdvanceRuns=N}
 * times (30 by default; run with 1000 to measure flakiness).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AutoAdvanceWithSocketsTest {
  private static final int RUNS = Integer.getInteger("aionet.autoAdvanceRuns", 30);

  private static Loop real;
  /** The peer, on a real-time loop: reads a line, waits 10 ms, answers. */
  private static Server peer;

  @BeforeAll
  static void startThePeer() {
    real = Loop.create();
    peer = real.runUntilComplete(() -> Streams.startServer((reader, writer) -> reader.readLine()
        .thenCompose(line -> Aio.sleep(Duration.ofMillis(10), line))
        .thenCompose(line -> {
          writer.write(line);
          return writer.drain();
        }), "127.0.0.1", 0));
    // warm both sides up in real time first: a cold JVM's first answer takes class loading, not 10 ms
    String warm = real.runUntilComplete(() -> Streams.openConnection("127.0.0.1", peer.port()).thenCompose(c -> {
      c.writer().write("warm-up\n", US_ASCII);
      return c.reader().readLine().thenApply(line -> new String(line, US_ASCII))
          .whenComplete((v, e) -> c.writer().close());
    }));
    assertThat(warm).isEqualTo("warm-up\n");
  }

  @AfterAll
  static void stopThePeer() {
    try {
      real.runUntilComplete(() -> peer.shutdown(Duration.ofSeconds(5)));
    } finally {
      real.close();
    }
  }

  @Test
  void aPeerAnsweringAfterTenMillisecondsOfRealTimeIsAlwaysReadBeforeAFiveSecondTimeout() {
    pingThePeer((port, ping) -> () -> Streams.openConnection("127.0.0.1", port).thenCompose(c -> {
      c.writer().write(ping, US_ASCII);
      return Aio.waitFor(c.reader().readLine(), Duration.ofSeconds(5))
          .thenApply(line -> new String(line, US_ASCII))
          .whenComplete((v, e) -> c.writer().close());
    }));
  }

  @Test
  void anAsyncBodyAwaitingThatPeersAnswerAlsoReadsItBeforeTheTimeout() {
    pingThePeer((port, ping) -> () -> Aio.async(() -> {
      Connection c = Aio.await(Streams.openConnection("127.0.0.1", port));
      try {
        c.writer().write(ping, US_ASCII);
        return new String(Aio.await(Aio.waitFor(c.reader().readLine(), Duration.ofSeconds(5))), US_ASCII);
      } finally {
        c.writer().close();
      }
    }));
  }

  @Test
  void anAsyncBodyAwaitingASilentPeerTimesOutAtExactlyItsVirtualDeadline() {
    try (TestLoop t = TestLoop.create()) {
      long began = System.nanoTime();
      assertThatThrownBy(() -> t.run(() -> Aio.async(() -> {
        Connection c = Aio.await(Streams.openConnection("127.0.0.1", peer.port()));
        try {
          return Aio.await(Aio.waitFor(c.reader().readLine(), Duration.ofSeconds(5))); // the peer waits for a line
        } finally {
          c.writer().close();
        }
      }))).isInstanceOf(AsyncTimeoutException.class);
      assertThat(t.time()).isEqualTo(5.0);
      assertThat(Duration.ofNanos(System.nanoTime() - began)).as("real time").isLessThan(Duration.ofSeconds(4));
    }
  }

  /** Runs {@code client} (given the peer's port and a line to send) on a new test loop, {@link #RUNS} times. */
  private static void pingThePeer(BiFunction<Integer, String, Coroutine<String>> client) {
    for (int run = 0; run < RUNS; run++) {
      String ping = "ping " + run + "\n";
      try (TestLoop t = TestLoop.create()) {
        long began = System.nanoTime();
        String reply;
        try {
          reply = t.run(client.apply(peer.port(), ping));
        } catch (RuntimeException e) {
          throw new AssertionError("run " + run + " after " + (System.nanoTime() - began) / 1_000_000 + " ms", e);
        }
        assertThat(reply).as("run %d", run).isEqualTo(ping);
        assertThat(t.time()).as("run %d: the clock never moved", run).isZero();
      }
    }
  }
}
