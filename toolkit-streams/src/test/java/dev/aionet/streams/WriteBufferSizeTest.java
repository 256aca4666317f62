package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code writeBufferSize()} on a plain connection, whose writes reach the socket with no promise of
 * their own: bytes count from the write until the socket took them, whether it takes them at the
 * turn's flush or only once the peer reads; the server's stats count them as written then, and a
 * write the socket refuses fails the connection (drain and reads), as asyncio's
 * {@code connection_lost(exc)} does.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WriteBufferSizeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void bytesTheSocketTakesAtTheFlushLeaveTheBufferEmptyOnTheNextTurn(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<long[]> sizes = new CompletableFuture<>();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        writer.write(new byte[1000]);
        long afterWrite = writer.writeBufferSize();
        return Aio.sleep(Duration.ZERO).thenCompose(x -> {
          sizes.complete(new long[] {afterWrite, writer.writeBufferSize()});
          writer.close();
          return writer.waitClosed();
        });
      }, "127.0.0.1", 0));
      try (Socket client = new Socket("127.0.0.1", server.port())) {
        client.setSoTimeout((int) WAIT.toMillis());
        assertThat(client.getInputStream().readAllBytes()).hasSize(1000);
      }
      assertThat(InboundRecorder.await(sizes, WAIT)).containsExactly(1000, 0);
      awaitTrue(() -> server.stats().bytesWritten() == 1000, "the server's count of bytes written");
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void bytesTheSocketCannotTakeYetStayCountedUntilThePeerReadsThem(Transport transport) throws Exception {
    int total = 8 << 20;
    byte[] data = new byte[total];
    new Random(11).nextBytes(data);
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<StreamWriter> writerOf = new CompletableFuture<>();
      CompletableFuture<Long> afterFlush = new CompletableFuture<>();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        writerOf.complete(writer);
        for (int off = 0; off < total; off += 64 * 1024) {
          writer.write(java.util.Arrays.copyOfRange(data, off, off + 64 * 1024));
        }
        return Aio.sleep(Duration.ZERO).thenCompose(x -> {
          afterFlush.complete(writer.writeBufferSize()); // flushed: the socket took what it could
          return writer.drain();
        }).thenCompose(x -> {
          writer.close();
          return writer.waitClosed();
        });
      }, "127.0.0.1", 0));
      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(16 * 1024);
        client.connect(new InetSocketAddress("127.0.0.1", server.port()));
        client.setSoTimeout((int) WAIT.toMillis());
        StreamWriter writer = InboundRecorder.await(writerOf, WAIT);
        assertThat(InboundRecorder.await(afterFlush, WAIT)).as("bytes the socket did not take at the flush")
            .isPositive().isLessThan(total);
        InputStream in = client.getInputStream();
        assertThat(in.readNBytes(total)).isEqualTo(data);
        awaitTrue(() -> writer.writeBufferSize() == 0, "the write buffer to empty");
        assertThat(in.read()).isEqualTo(-1);
      }
      awaitTrue(() -> server.stats().bytesWritten() == total, "the server's count of bytes written");
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aWriteThePeerRefusesFailsDrainAndReadsWithConnectionResetException(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Throwable> drainError = new CompletableFuture<>();
      CompletableFuture<Throwable> readError = new CompletableFuture<>();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.read(-1).thenCompose(all -> {
        // The peer has closed: writes after its EOF meet a reset (EPIPE or ECONNRESET).
        byte[] chunk = new byte[1024];
        int[] writes = {0};
        return Aio.repeatWhile(() -> {
          writer.write(chunk);
          return writer.drain().thenApply(x -> ++writes[0] < 100_000);
        });
      }).handle((x, error) -> {
        drainError.complete(error);
        return reader.read(1).handle((bytes, readFailure) -> {
          readError.complete(readFailure);
          return (Void) null;
        });
      }).thenCompose(p -> p), "127.0.0.1", 0));
      try (Socket client = new Socket("127.0.0.1", server.port())) {
        client.getOutputStream().write("bye".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      assertThat(InboundRecorder.await(drainError, WAIT)).isInstanceOf(ConnectionResetException.class);
      assertThat(InboundRecorder.await(readError, WAIT)).isInstanceOf(ConnectionResetException.class)
          .cause().isInstanceOf(java.io.IOException.class);
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
