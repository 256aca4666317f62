package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F5 (docs/faults.md): a client that never reads. A handler that awaits drain() after each 64 KiB write
 * holds at most the high-water mark plus one write; drain() stays pending while the peer does not
 * read; abortClients() wakes it with ConnectionResetException, and shutdown(grace) finishes
 * although close() could never flush.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NeverReadingClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int CHUNK = 64 * 1024;
  private static final int HIGH = 64 * 1024;

  /** A writer never blocked after this much: drain() does not wait for the peer, the test fails. */
  private static final long NEVER_BLOCKED = 64L << 20;

  /** Writes CHUNK after CHUNK with drain(), recording the largest write buffer and the blocked drain. */
  private static final class Flooder {
    final AtomicLong maxBuffered = new AtomicLong();
    final AtomicLong written = new AtomicLong();
    final CompletableFuture<Promise<Void>> blockedDrain = new CompletableFuture<>();
    final CompletableFuture<Throwable> drainError = new CompletableFuture<>();

    Promise<Void> handle(StreamReader reader, StreamWriter writer) {
      byte[] chunk = new byte[CHUNK];
      return Aio.repeatWhile(() -> {
        maxBuffered.accumulateAndGet(writer.writeBufferSize(), Math::max);
        writer.write(chunk);
        written.addAndGet(CHUNK);
        Promise<Void> drained = writer.drain();
        if (!drained.isDone()) {
          blockedDrain.complete(drained);
        } else if (written.get() > NEVER_BLOCKED) {
          blockedDrain.completeExceptionally(new AssertionError("drain() never waited: " + written + " bytes"));
          return Promise.completed(false);
        }
        return drained.handle((ok, error) -> {
          if (error != null) {
            drainError.complete(error);
          }
          return error == null;
        });
      });
    }
  }

  private static Socket neverReading(int port) throws java.io.IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port));
    return s;
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void drainHoldsTheWriterAtTheHighWaterMarkUntilAbortWakesIt(Transport transport) throws Exception {
    // asyncio test_abort_clients; Vert.x testServerDrainHandler
    try (TestLoop t = TestLoop.create(transport)) {
      Flooder flooder = new Flooder();
      Server server = t.run(() -> Streams.startServer(flooder::handle, "127.0.0.1", 0,
          ServerOptions.builder().writeBufferWaterMark(32 * 1024, HIGH).build()));
      try (Socket client = neverReading(server.port())) {
        Promise<Void> drain = InboundRecorder.await(flooder.blockedDrain, WAIT);
        assertThat(catchThrowable(() -> drain.join(Duration.ofSeconds(1))))
            .as("still pending after 1 s").isInstanceOf(AsyncTimeoutException.class);
        long writtenWhileBlocked = flooder.written.get();
        assertThat(flooder.maxBuffered.get()).as("write buffer before any write")
            .isLessThanOrEqualTo(HIGH + CHUNK);

        server.abortClients();
        assertThat(InboundRecorder.await(flooder.drainError, WAIT)).isInstanceOf(ConnectionResetException.class);
        assertThat(flooder.written.get()).as("no write after the blocked drain").isEqualTo(writtenWhileBlocked);
      }
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void shutdownFinishesAfterItsGraceAlthoughThePeerNeverReads(Transport transport) throws Exception {
    // Vert.x testCloseServerUnwritableSocket: close completes while the peer is paused
    try (TestLoop t = TestLoop.create(transport)) {
      Flooder flooder = new Flooder();
      Server server = t.run(() -> Streams.startServer(flooder::handle, "127.0.0.1", 0));
      try (Socket client = neverReading(server.port())) {
        InboundRecorder.await(flooder.blockedDrain, WAIT);
        long start = System.nanoTime();
        server.shutdown(Duration.ofMillis(300)).join(WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(server.connectionCount()).isZero();
        assertThat(InboundRecorder.await(flooder.drainError, WAIT)).isInstanceOf(ConnectionResetException.class);
      }
    }
  }
}
