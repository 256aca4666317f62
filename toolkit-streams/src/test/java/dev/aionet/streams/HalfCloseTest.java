package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F2 (docs/faults.md): after the peer's FIN every buffered byte is read before EOF, EOF then repeats, and
 * the side that received the FIN can still write; both directions (Netty SocketHalfClosedTest,
 * Vert.x testHalfCloseCallsEndHandlerAfterBuffersAreDelivered).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HalfCloseTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void theServerReadsToTheClientsEofAndThenReplies(Transport transport) {
    // asyncio: write_eof(); the server's read() returns b'' after the data; it may still write
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.read(-1).thenCompose(all -> {
        writer.write("got " + all.length + " bytes: " + new String(all, US_ASCII), US_ASCII);
        return writer.drain();
      }), "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      c.writer().write("part one, ", US_ASCII);
      c.writer().write("part two", US_ASCII);
      assertThat(c.writer().canWriteEof()).isTrue();
      c.writer().writeEof();

      byte[] reply = t.run(() -> Echo.readAll(c.reader(), new ByteArrayOutputStream()));
      assertThat(new String(reply, US_ASCII)).isEqualTo("got 18 bytes: part one, part two");
      assertThat(c.reader().read(10).join(WAIT)).as("EOF again").isEmpty();
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aClientGetsEveryChunkBeforeTheServersEofAndCanStillReply(Transport transport) {
    // Vert.x: the server writes 8 chunks then half-closes; the client sees all of them, then EOF
    try (TestLoop t = TestLoop.create(transport)) {
      CompletablePromise<String> reply = t.loop().newPromise();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        for (int i = 0; i < 8; i++) {
          writer.write("chunk " + i + "\n", US_ASCII);
        }
        writer.writeEof();
        // the client's reply arrives on the half-closed connection
        return reader.readLine().thenAccept(line -> reply.complete(new String(line, US_ASCII))).thenApply(x -> null);
      }, "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        lines.append(new String(c.reader().readLine().join(WAIT), US_ASCII));
      }
      assertThat(lines.toString()).isEqualTo(
          "chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\nchunk 5\nchunk 6\nchunk 7\n");
      assertThat(c.reader().readLine().join(WAIT)).as("EOF after the last chunk").isEmpty();
      assertThat(c.reader().atEof()).isTrue();
      assertThat(c.writer().isClosing()).as("the FIN closes only the peer's direction").isFalse();

      c.writer().write("thanks\n", US_ASCII);
      c.writer().drain().join(WAIT);
      assertThat(reply.join(WAIT)).isEqualTo("thanks\n"); // the server read it after its own FIN
      server.shutdown(WAIT).join(WAIT);
      c.writer().close();
    }
  }
}
