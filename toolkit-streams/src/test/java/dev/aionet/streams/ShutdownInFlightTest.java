package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.test.TestLoop;
import dev.aionet.test.TestLoopOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault F10 (docs/faults.md): shutdown with megabytes accepted by write() and not yet sent. Within the grace
 * period every byte reaches the peer before the FIN; past it the connection is aborted and the
 * rest is discarded, and shutdown still finishes. On the test kit's virtual clock, so the grace
 * and linger timeouts pass in milliseconds and each ends at exactly its deadline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownInFlightTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int SIZE = 10 << 20;
  private static final Duration GRACE = Duration.ofMinutes(5);
  private static final double LINGER = ServerOptions.DEFAULT_LINGER_TIMEOUT.toNanos() / 1e9;
  /**
   * The peer is a blocking socket on the test's thread: a generous I/O grace, so a loaded machine
   * that holds that thread off the CPU for a while does not look like a quiet connection.
   */
  private static final TestLoopOptions REAL_PEER = TestLoopOptions.builder().ioGrace(Duration.ofMillis(200)).build();

  /** A handler that writes the payload at once and then waits for the client (which never writes). */
  private static ClientHandler writeThenWait(byte[] payload, CompletableFuture<Void> written) {
    return (reader, writer) -> {
      writer.write(payload);
      written.complete(null);
      return reader.read(1).thenApply(x -> null);
    };
  }

  /** The loop time at which {@code p} settles. */
  private static CompletableFuture<Double> settledAt(Promise<?> p) {
    CompletableFuture<Double> at = new CompletableFuture<>();
    p.addDoneCallback(x -> at.complete(Loop.current().time()));
    return at;
  }

  @Test
  void everyByteWrittenBeforeShutdownReachesThePeerBeforeEof() throws Exception {
    // asyncio transport close() vs abort(); Vert.x testServerShutdown
    byte[] payload = new byte[SIZE];
    new Random(11).nextBytes(payload);
    try (TestLoop t = TestLoop.create(REAL_PEER)) {
      CompletableFuture<Void> written = new CompletableFuture<>();
      Server server = t.run(() -> Streams.startServer(writeThenWait(payload, written), "127.0.0.1", 0));
      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(16 * 1024); // most of the payload is still in the server's buffer
        client.connect(new InetSocketAddress("127.0.0.1", server.port()));
        InboundRecorder.await(written, WAIT);
        assertThat(t.time()).as("no timer yet: the clock stood still").isZero();
        Promise<Void> shutdown = server.shutdown(GRACE);
        CompletableFuture<Double> done = settledAt(shutdown);
        byte[] received = client.getInputStream().readAllBytes(); // to EOF
        assertThat(received.length).isEqualTo(SIZE);
        assertThat(Arrays.equals(received, payload)).as("the same bytes").isTrue();
        shutdown.join(WAIT);
        // the grace ran out with the handler still waiting: a graceful close, which lingers for
        // the client's EOF; the client never closes, so the linger timeout ends it
        assertThat(InboundRecorder.await(done, WAIT)).isEqualTo(GRACE.toSeconds() + LINGER);
      }
      assertThat(server.connectionCount()).isZero();
    }
  }

  @Test
  void anAionetClientReadsEveryByteThenEofWhenTheGraceRunsOut() {
    // handlers still waiting when the grace runs out see their connection closed gracefully
    byte[] payload = new byte[2 << 20];
    new Random(3).nextBytes(payload);
    try (TestLoop t = TestLoop.create()) {
      CompletablePromise<Void> written = t.loop().newPromise();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        writer.write(payload);
        written.complete(null);
        return reader.read(-1).thenApply(x -> null);
      }, "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      written.join(WAIT);
      Promise<Void> shutdown = server.shutdown(Duration.ofSeconds(30));
      double[] eofAt = {-1};
      byte[] received = t.run(() -> Echo.readAll(c.reader(), new ByteArrayOutputStream()).whenComplete((v, e) -> {
        eofAt[0] = Loop.current().time();
        c.writer().close(); // the server's lingering close gets its EOF at once
      }));
      assertThat(received).isEqualTo(payload);
      assertThat(eofAt[0]).as("EOF when the 30 s grace ran out").isEqualTo(30.0);
      t.run(() -> shutdown);
      assertThat(t.time()).as("the server's close got the client's EOF at once").isEqualTo(30.0);
    }
  }

  @Test
  void pastTheGracePeriodShutdownAbortsAndDiscardsTheRest() throws Exception {
    byte[] payload = new byte[SIZE];
    try (TestLoop t = TestLoop.create(REAL_PEER)) {
      CompletableFuture<Void> written = new CompletableFuture<>();
      Server server = t.run(() -> Streams.startServer(writeThenWait(payload, written), "127.0.0.1", 0));
      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(4096);
        client.connect(new InetSocketAddress("127.0.0.1", server.port()));
        InboundRecorder.await(written, WAIT);
        long start = System.nanoTime();
        Promise<Void> shutdown = server.shutdown(Duration.ofMillis(200)); // the client has not read a byte
        CompletableFuture<Double> done = settledAt(shutdown);
        shutdown.join(WAIT);
        assertThat(InboundRecorder.await(done, WAIT)).as("the grace, then the linger timeout, then the abort")
            .isEqualTo(0.2 + LINGER);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
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
