package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.LoopError;
import dev.aionet.core.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F21 (docs/faults.md): TLS peers that reset the connection (RST, SO_LINGER 0) in the middle
 * of the handshake. The server survives, reports each such connection once (as a failed
 * handshake, with its channel), never runs a handler for it, holds no connection afterwards and
 * serves the next client.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsHandshakeResetTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int RESETS = 5;
  @RegisterExtension
  static final SelfSignedTls TLS = new SelfSignedTls();

  /** How far the handshake got when the peer reset it. */
  enum Stage {
    /** Half a ClientHello sent: the server is still reading the first record. */
    HALF_A_CLIENT_HELLO,
    /** The whole ClientHello sent and the server's first flight received: it waits for the client's Finished. */
    AFTER_THE_SERVER_HELLO
  }

  static Stream<Arguments> transportsAndStages() {
    return TestLoop.transports().flatMap(t -> Stream.of(Stage.values()).map(s -> Arguments.of(t, s)));
  }

  /** Connects, takes the handshake to {@code stage}, then resets the connection. */
  private static void resetAt(int port, Stage stage) throws Exception {
    try (RawTlsPeer peer = RawTlsPeer.connect(port, TLS.cert())) {
      byte[] hello = peer.clientHello();
      if (stage == Stage.HALF_A_CLIENT_HELLO) {
        peer.send(Arrays.copyOf(hello, hello.length / 2));
      } else {
        peer.send(hello);
        peer.socket.setSoTimeout((int) WAIT.toMillis());
        assertThat(peer.socket.getInputStream().read()).as("the server's first flight").isNotNegative();
      }
      peer.reset();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndStages")
  void aPeerThatResetsMidHandshakeIsReportedOnceAndTheServerServesTheNext(Transport transport, Stage stage)
      throws Exception {
    AtomicInteger handlers = new AtomicInteger();
    try (TestLoop t = TestLoop.create(transport)) {
      t.expect(e -> e.message().equals("SSL handshake failed"));
      Server server = t.run(() -> Streams.startServer(Echo.countingStarts(handlers), "127.0.0.1", 0, ServerOptions.builder().ssl(TLS.serverContext()).build()));
      for (int i = 0; i < RESETS; i++) {
        resetAt(server.port(), stage);
      }
      List<LoopError> reported = t.awaitErrors(RESETS, WAIT);
      assertThat(reported).allSatisfy(e -> {
        assertThat(e.message()).isEqualTo("SSL handshake failed");
        assertThat(e.exception()).isInstanceOf(IOException.class);
        assertThat(e.channel()).isPresent();
      });
      assertThat(reported.stream().map(e -> e.channel().get()).distinct()).as("one report per connection")
          .hasSize(RESETS);
      awaitNoConnections(server);

      Connection good = t.run(() -> Streams.openConnection("127.0.0.1", server.port(),
          ClientOptions.builder().ssl(TLS.clientContext()).serverHostname("localhost").build()));
      good.writer().write("still serving\n", UTF_8);
      assertThat(good.reader().readLine(UTF_8).join(WAIT)).isEqualTo("still serving");
      good.writer().close();
      good.writer().waitClosed().join(WAIT);
      server.shutdown(WAIT).join(WAIT);
      assertThat(t.errors()).as("nothing more was reported").hasSize(RESETS);
      assertThat(handlers).as("only the good client's handler ran").hasValue(1);
    }
  }

  /** Polls until the server holds no connection (the resets' channels are closed), with a deadline. */
  private static void awaitNoConnections(Server server) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.connectionCount() != 0) {
      assertThat(System.nanoTime()).as("every reset connection closed on the server").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
