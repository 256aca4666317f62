package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.streams.Connection;
import dev.aionet.streams.ConnectionResetException;
import dev.aionet.streams.Server;
import dev.aionet.streams.ServerOptions;
import dev.aionet.streams.StreamReader;
import dev.aionet.streams.StreamWriter;
import dev.aionet.streams.Streams;
import dev.aionet.streams.TestLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** maxConnections, idleTimeout and readTimeout (Fault F3 (docs/faults.md), F6), off by default. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerProtectionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Promise<Void> echoLines(StreamReader reader, StreamWriter writer) {
    return reader.readLine().thenCompose(line -> {
      if (line.length == 0) {
        return Promise.completed(null);
      }
      writer.write(line);
      return writer.drain().thenCompose(x -> echoLines(reader, writer));
    });
  }

  private static String roundTrip(Connection c, String line) {
    c.writer().write(line + "\n", US_ASCII);
    return new String(c.reader().readLine().join(WAIT), US_ASCII).trim();
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void connectionsBeyondMaxConnectionsAreClosedAtOnceAndCounted(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(ServerProtectionsTest::echoLines, "127.0.0.1", 0,
          ServerOptions.builder().maxConnections(2).build()));
      Connection first = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      Connection second = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      assertThat(roundTrip(first, "one")).isEqualTo("one");
      assertThat(roundTrip(second, "two")).isEqualTo("two");

      Connection third = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      third.writer().write("three\n", US_ASCII);
      assertThat(third.reader().read(10).handle((data, e) -> e != null || data.length == 0).join(WAIT))
          .as("closed by the server: EOF or reset").isTrue();
      assertThat(((ServerImpl) server).rejectedConnections()).isEqualTo(1);
      assertThat(server.connectionCount()).isEqualTo(2);
      third.writer().close();

      first.writer().close();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (server.connectionCount() > 1 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      Connection fourth = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      assertThat(roundTrip(fourth, "four")).isEqualTo("four");
      second.writer().close();
      fourth.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void anIdleConnectionIsClosedAndItsHandlerSeesAConnectionReset(Transport transport) {
    AtomicReference<Throwable> handlerSaw = new AtomicReference<>();
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.readLine().handle((l, e) -> {
        handlerSaw.set(e);
        return null;
      }), "127.0.0.1", 0, ServerOptions.builder().idleTimeout(Duration.ofMillis(300)).build()));
      Connection silent = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      long start = System.nanoTime();
      assertThat(silent.reader().read(10).join(WAIT)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
      server.shutdown(WAIT).join(WAIT);
      assertThat(handlerSaw.get()).isInstanceOf(ConnectionResetException.class)
          .hasMessageContaining("idle timeout");
      silent.writer().close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void readTimeoutClosesAPeerThatOnlyListensWhileIdleTimeoutWouldNot(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> tick(writer, 100),
          "127.0.0.1", 0, ServerOptions.builder().readTimeout(Duration.ofMillis(300))
              .idleTimeout(Duration.ofSeconds(30)).build()));
      Connection listener = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      long start = System.nanoTime();
      byte[] all = t.run(() -> listener.reader().read(-1).handle((data, e) -> data == null ? new byte[0] : data));
      long took = System.nanoTime() - start;
      assertThat(all.length).as("the server wrote every 20 ms until cut off").isPositive();
      assertThat(Duration.ofNanos(took)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(1));
      listener.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  /** Writes a byte every 20 ms, {@code n} times, until the connection is gone. */
  private static Promise<Void> tick(StreamWriter writer, int n) {
    if (n == 0 || writer.isClosing()) {
      return Promise.completed(null);
    }
    writer.write(new byte[] {'.'});
    return Aio.sleep(Duration.ofMillis(20)).thenCompose(x -> tick(writer, n - 1));
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aSlowlorisTrickleBeatsTheIdleTimeoutButNotAPerRequestDeadline(Transport transport) {
    // Fault F3: one byte every 100 ms keeps a 300 ms idle timeout happy forever; a deadline on
    // the whole request, Aio.timeout around the read, ends it (asyncio: async with timeout(1)).
    AtomicReference<String> outcome = new AtomicReference<>();
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) ->
          Aio.timeout(Duration.ofSeconds(1), () -> reader.readLine()).handle((line, e) -> {
            outcome.set(e == null ? "line" : e.getClass().getSimpleName());
            return null;
          }), "127.0.0.1", 0, ServerOptions.builder().idleTimeout(Duration.ofMillis(300)).build()));
      Connection loris = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      Boolean cutOff = t.run(() -> trickle(loris, 40));
      assertThat(cutOff).as("the server ended the connection before the trickle did").isTrue();
      server.shutdown(WAIT).join(WAIT);
      assertThat(outcome.get()).isEqualTo("AsyncTimeoutException");
      loris.writer().close();
    }
  }

  /** Sends one byte every 100 ms; true once the server closed the connection. */
  private static Promise<Boolean> trickle(Connection c, int left) {
    if (left == 0) {
      return Promise.completed(false);
    }
    c.writer().write(new byte[] {'x'});
    return c.writer().drain().handle((x, e) -> e != null || c.reader().atEof())
        .thenCompose(closed -> closed ? Promise.completed(true)
            : Aio.sleep(Duration.ofMillis(100)).thenCompose(y -> trickle(c, left - 1)));
  }
}
