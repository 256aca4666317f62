package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.io.InputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F10 (docs/faults.md): shutdown with 10 MiB accepted by write() and not yet sent. Within the grace period
 * every byte reaches the peer before the FIN; past it the connection is aborted and the rest is
 * discarded, and shutdown still finishes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ShutdownInFlightTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int SIZE = 10 << 20;

  /** A handler that writes the payload at once and then waits for the client (which never writes). */
  private static ClientHandler writeThenWait(byte[] payload, CompletableFuture<Void> written) {
    return (reader, writer) -> {
      writer.write(payload);
      written.complete(null);
      return reader.read(1).thenApply(x -> null);
    };
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void everyByteWrittenBeforeShutdownReachesThePeerBeforeEof(Transport transport) throws Exception {
    // asyncio transport close() vs abort(); Vert.x testServerShutdown
    byte[] payload = new byte[SIZE];
    new Random(11).nextBytes(payload);
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Void> written = new CompletableFuture<>();
      Server server = t.run(() -> Streams.startServer(writeThenWait(payload, written), "127.0.0.1", 0));
      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(16 * 1024); // most of the payload is still in the server's buffer
        client.connect(new InetSocketAddress("127.0.0.1", server.port()));
        InboundRecorder.await(written, WAIT);
        Promise<Void> shutdown = server.shutdown(WAIT);
        byte[] received = client.getInputStream().readAllBytes(); // to EOF
        assertThat(received.length).isEqualTo(SIZE);
        assertThat(Arrays.equals(received, payload)).as("the same bytes").isTrue();
        shutdown.join(WAIT);
      }
      assertThat(server.connectionCount()).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void pastTheGracePeriodShutdownAbortsAndDiscardsTheRest(Transport transport) throws Exception {
    byte[] payload = new byte[SIZE];
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Void> written = new CompletableFuture<>();
      Server server = t.run(() -> Streams.startServer(writeThenWait(payload, written), "127.0.0.1", 0));
      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(4096);
        client.connect(new InetSocketAddress("127.0.0.1", server.port()));
        InboundRecorder.await(written, WAIT);
        long start = System.nanoTime();
        server.shutdown(Duration.ofMillis(200)).join(WAIT); // the client has not read a byte
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        long received = 0;
        InputStream in = client.getInputStream();
        byte[] buf = new byte[64 * 1024];
        try {
          for (int n; (n = in.read(buf)) > 0; ) {
            received += n;
          }
        } catch (IOException reset) {
          // the abort's RST
        }
        assertThat(received).as("abort discards what was not sent").isLessThan(SIZE);
      }
      assertThat(server.connectionCount()).isZero();
    }
  }
}
