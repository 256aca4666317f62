package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import io.netty.channel.ChannelOption;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F1 (docs/faults.md): a peer that resets (SO_LINGER 0) while the other side waits in a read or in
 * drain(): the wait fails with the connection's error, nothing hangs, the loop's exception
 * handler stays silent (TestLoop fails the test otherwise) and the server keeps serving.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PeerResetTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Unwraps join()'s CompletionException. */
  static Throwable cause(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aResetDuringReadExactlyFailsTheHandlersReadAndTheServerKeepsServing(Transport transport) throws Exception {
    // asyncio: connection_lost(exc) => reader.set_exception(exc); Netty SocketRstTest
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Throwable> seen = new CompletableFuture<>();
      AtomicInteger calls = new AtomicInteger();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        if (calls.incrementAndGet() > 1) {
          return Echo.echo(reader, writer);
        }
        return reader.readExactly(100).handle((bytes, error) -> {
          seen.complete(error);
          return null;
        });
      }, "127.0.0.1", 0));
      try (Socket rude = new Socket("127.0.0.1", server.port())) {
        OutputStream out = rude.getOutputStream();
        out.write("only ten b".getBytes(US_ASCII));
        out.flush();
        rude.setSoLinger(true, 0); // close() sends RST
      }
      Throwable error = InboundRecorder.await(seen, WAIT);
      assertThat(error).as("a reset mid-read, or a FIN racing it").isInstanceOfAny(
          ConnectionResetException.class, IncompleteReadException.class);

      Connection polite = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      polite.writer().write("still serving\n", US_ASCII);
      assertThat(new String(polite.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("still serving\n");
      polite.writer().close();
      server.shutdown(WAIT).join(WAIT);
      assertThat(server.connectionCount()).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aResetWhileTheHandlerIsBlockedInDrainFailsDrainWithConnectionReset(Transport transport) throws Exception {
    // asyncio test_drain_raises
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Void> blocked = new CompletableFuture<>();
      CompletableFuture<Throwable> drainError = new CompletableFuture<>();
      byte[] chunk = new byte[64 * 1024];
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        return dev.aionet.core.Aio.repeatWhile(() -> {
          writer.write(chunk);
          Promise<Void> drained = writer.drain();
          if (!drained.isDone()) {
            blocked.complete(null);
          }
          return drained.handle((ok, error) -> {
            if (error != null) {
              drainError.complete(error);
            }
            return error == null;
          });
        });
      }, "127.0.0.1", 0));
      try (Socket neverReads = new Socket()) {
        neverReads.setReceiveBufferSize(4096);
        neverReads.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
        InboundRecorder.await(blocked, WAIT);
        neverReads.setSoLinger(true, 0);
      }
      assertThat(InboundRecorder.await(drainError, WAIT)).isInstanceOf(ConnectionResetException.class);
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aClientBlockedInReadExactlySeesTheServersResetAndSoDoDrainAndWaitClosed(Transport transport) {
    // Fault F1 "Do": the server's handler closes with SO_LINGER 0 while the client waits
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.readLine().thenApply(line -> {
        writer.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        writer.channel().close();
        return null;
      }), "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      Promise<byte[]> pending = c.reader().readExactly(100);
      c.writer().write("go\n", US_ASCII);

      assertThat(cause(catchThrowable(() -> pending.join(WAIT)))).isInstanceOf(ConnectionResetException.class)
          .hasCauseInstanceOf(java.io.IOException.class);
      assertThat(cause(catchThrowable(() -> c.writer().waitClosed().join(WAIT))))
          .isInstanceOf(ConnectionResetException.class);
      assertThat(cause(catchThrowable(() -> c.writer().drain().join(WAIT))))
          .isInstanceOf(ConnectionResetException.class);
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
