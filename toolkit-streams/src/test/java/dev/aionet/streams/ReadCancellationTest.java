package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import dev.aionet.core.Transport;
import dev.aionet.streams.internal.BufferProbe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F9 (docs/faults.md) over real sockets: a read cut off by a timeout or by cancelling its task consumes
 * nothing, so the next read gets every byte (asyncio, test_exception_cancel).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadCancellationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aReadLineCutOffByATimeoutLosesNoneOfTheHalfLine(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Throwable> timedOut = new CompletableFuture<>();
      Server server = t.run(() -> Streams.startServer((reader, writer) ->
          Aio.timeout(Duration.ofMillis(50), () -> reader.readLine())
              .handle((line, error) -> {
                timedOut.complete(error);
                writer.write("timed out\n", US_ASCII);
                return null;
              })
              .thenCompose(x -> reader.readLine())
              .thenCompose(line -> writer.writeAndDrain(line)), "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      c.writer().write("half a ", US_ASCII);
      assertThat(new String(c.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("timed out\n");
      assertThat(InboundRecorder.await(timedOut, WAIT)).isInstanceOf(AsyncTimeoutException.class);
      c.writer().write("line\n", US_ASCII);
      assertThat(new String(c.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("half a line\n");
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void cancellingATaskBlockedInReadExactlyLeavesItsBytesToTheNextReader(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Boolean> firstCancelled = new CompletableFuture<>();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        Task<byte[]> first = Aio.createTask(() -> reader.readExactly(10));
        long deadline = System.nanoTime() + WAIT.toNanos();
        // poll (with a deadline) until the client's first 5 bytes sit in the buffer
        return Aio.repeatWhile(() -> Aio.sleep(Duration.ofMillis(5)).thenApply(x ->
                BufferProbe.bufferedBytes(reader) < 5 && System.nanoTime() < deadline))
            .thenCompose(x -> {
              first.cancel();
              return first.handle((v, e) -> first.isCancelled());
            })
            .thenCompose(cancelled -> {
              firstCancelled.complete(cancelled);
              writer.write("ready\n", US_ASCII);
              return Aio.createTask(() -> reader.readExactly(10));
            })
            .thenCompose(bytes -> writer.writeAndDrain(bytes));
      }, "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      c.writer().write("abcde", US_ASCII);
      assertThat(new String(c.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("ready\n");
      assertThat(InboundRecorder.await(firstCancelled, WAIT)).isTrue();
      c.writer().write("fghij", US_ASCII);
      assertThat(new String(c.reader().readExactly(10).join(WAIT), US_ASCII)).isEqualTo("abcdefghij");
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
