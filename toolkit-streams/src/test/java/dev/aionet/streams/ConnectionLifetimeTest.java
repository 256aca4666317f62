package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How long a server counts a connection, and what its handler task is called. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLifetimeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aConnectionCountsUntilItsHandlerFinishesEvenAfterItsChannelClosed(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      CompletablePromise<Void> channelClosed = t.loop().newPromise();
      CompletablePromise<Void> release = t.loop().newPromise();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        writer.close();
        return writer.waitClosed().thenCompose(x -> {
          channelClosed.complete(null);
          return release;
        });
      }, "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      channelClosed.join(WAIT);
      assertThat(c.reader().read(10).join(WAIT)).as("EOF from the closed server side").isEmpty();
      server.close();
      Promise<Void> closed = server.waitClosed();
      assertThatThrownBy(() -> closed.join(Duration.ofMillis(200))).isInstanceOf(AsyncTimeoutException.class);
      assertThat(server.connectionCount()).isEqualTo(1);

      release.complete(null);
      closed.join(WAIT);
      assertThat(server.connectionCount()).isZero();
      c.writer().close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aConnectionCountsUntilItsChannelClosesEvenAfterItsHandlerFinished(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      CompletablePromise<Void> handlerDone = t.loop().newPromise();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        writer.write("bye\n", US_ASCII);
        Aio.currentTask().orElseThrow().addDoneCallback(task -> handlerDone.complete(null));
        return Promise.completed(null);
      }, "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      handlerDone.join(WAIT);
      // a finished handler closes its connection: the peer reads what was written, then EOF
      assertThat(new String(c.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("bye\n");
      assertThat(c.reader().read(10).join(WAIT)).isEmpty();
      server.close();
      server.waitClosed().join(WAIT);
      assertThat(server.connectionCount()).isZero();
      c.writer().close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void eachHandlerTaskIsNamedClientAndANumberOfItsOwn(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Set<String> names = ConcurrentHashMap.newKeySet();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        names.add(Aio.currentTask().orElseThrow().name());
        return reader.read(10).thenApply(eof -> null);
      }, "127.0.0.1", 0));
      List<Connection> clients = IntStream.range(0, 5)
          .mapToObj(i -> t.run(() -> Streams.openConnection("127.0.0.1", server.port())))
          .collect(Collectors.toList());
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (names.size() < 5 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(names).hasSize(5).allMatch(name -> name.matches("client-[0-9]+"));
      clients.forEach(c -> c.writer().close());
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
