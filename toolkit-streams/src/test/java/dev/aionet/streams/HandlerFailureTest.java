package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.LoopError;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F8 (docs/faults.md): a handler that fails on every connection, by throwing or by a failed promise: each
 * failure reaches the loop's exception handler exactly once, only its connection is closed, and
 * the server keeps accepting (asyncio).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandlerFailureTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int CLIENTS = 6;

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aHandlerThatFailsOnEveryConnectionIsReportedOncePerConnectionAndTheServerSurvives(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      t.expect(e -> e.message().equals("Unhandled exception in client_connected_cb"));
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.readLine().thenCompose(line -> {
        String text = new String(line, US_ASCII).trim();
        if (text.startsWith("throw")) {
          throw new IllegalStateException(text);
        }
        return Promise.failed(new java.io.IOException(text));
      }), "127.0.0.1", 0));

      List<Connection> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
        c.writer().write((i % 2 == 0 ? "throw " : "fail ") + i + "\n", US_ASCII);
        clients.add(c);
      }
      for (Connection c : clients) {
        assertThat(c.reader().read(100).join(WAIT)).as("only its own connection is closed: EOF").isEmpty();
        c.writer().close();
      }
      server.shutdown(WAIT).join(WAIT);

      List<LoopError> errors = t.errors();
      assertThat(errors).hasSize(CLIENTS);
      assertThat(errors).extracting(e -> e.exception().getMessage())
          .containsExactlyInAnyOrder("throw 0", "fail 1", "throw 2", "fail 3", "throw 4", "fail 5");
      assertThat(errors).allMatch(e -> e.channel().isPresent() && e.task().isPresent());
      assertThat(errors.stream().map(e -> e.channel().get()).distinct()).hasSize(CLIENTS);
    }
  }
}
