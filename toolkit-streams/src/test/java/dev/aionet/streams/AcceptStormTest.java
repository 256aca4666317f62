package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopOptions;
import dev.aionet.core.Outcome;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F6 (docs/faults.md): 2,000 connections opened at once against a one-thread server whose handler takes
 * 200 ms: handlers run concurrently, so accepting never waits for them; every connection is
 * served or cleanly refused within 30 s, the server still answers afterwards, and it counts every
 * connection out again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AcceptStormTest {
  private static final int CONNECTIONS = 2000;
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** One client: connect, send its number, read it back, close. */
  private static Promise<String> client(int port, int i) {
    return Streams.openConnection("127.0.0.1", port).thenCompose(c -> {
      c.writer().write(i + "\n", US_ASCII);
      return c.reader().readLine().whenComplete((line, error) -> c.writer().close());
    }).thenApply(line -> new String(line, US_ASCII));
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void twoThousandSimultaneousConnectsAreAllServedOrCleanlyRefused(Transport transport) {
    try (TestLoop t = TestLoop.create(transport);
        Loop clients = Loop.create(LoopOptions.builder().transport(transport).threads(1).build())) {
      AtomicInteger served = new AtomicInteger();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> Aio.sleep(Duration.ofMillis(200))
          .thenCompose(x -> reader.readLine())
          .thenCompose(line -> {
            writer.write(line);
            served.incrementAndGet();
            return writer.drain();
          }), "127.0.0.1", 0));
      int port = server.port();

      long start = System.nanoTime();
      List<Outcome<String>> outcomes = clients.submit(() -> {
        List<Promise<String>> all = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
          all.add(client(port, i));
        }
        return Aio.gatherSettled(all);
      }).join(WAIT);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      int ok = 0;
      for (int i = 0; i < CONNECTIONS; i++) {
        Outcome<String> o = outcomes.get(i);
        if (o.isSuccess()) {
          assertThat(o.value()).as("connection %d got its own bytes", i).isEqualTo(i + "\n");
          ok++;
        } else {
          assertThat(o.error()).as("a clean refusal").isInstanceOf(IOException.class);
        }
      }
      assertThat(took).isLessThan(WAIT);
      assertThat(ok).as("served").isEqualTo(served.get()).isPositive();

      Connection late = t.run(() -> Streams.openConnection("127.0.0.1", port));
      late.writer().write("still answering\n", US_ASCII);
      assertThat(new String(late.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("still answering\n");
      late.writer().close();
      server.shutdown(WAIT).join(WAIT);
      assertThat(server.connectionCount()).isZero();
    }
  }
}
