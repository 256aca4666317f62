package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.streams.Connection;
import dev.aionet.streams.Server;
import dev.aionet.streams.ServerOptions;
import dev.aionet.streams.StreamReader;
import dev.aionet.streams.StreamWriter;
import dev.aionet.streams.Streams;
import dev.aionet.streams.TestLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * maxConnections (Fault F6 in docs/faults.md), off by default. The idle and read timeouts and the
 * slowloris deadline (F3) are tested on the test kit's virtual clock in VirtualTimeTimeoutsTest.
 */
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
}
