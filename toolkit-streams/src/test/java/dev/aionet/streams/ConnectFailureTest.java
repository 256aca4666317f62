package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Transport;
import io.netty.channel.Channel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F14 (docs/faults.md): a refused connect fails promptly with ConnectException; a connect to a peer that
 * never answers is cut off by waitFor() and its pending channel is closed (Netty
 * SocketConnectionAttemptTest).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectFailureTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aRefusedConnectFailsPromptlyWithConnectException(Transport transport) throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    try (TestLoop t = TestLoop.create(transport)) {
      long start = System.nanoTime();
      Throwable error = catchThrowable(() -> t.run(() -> Streams.openConnection("127.0.0.1", closedPort)));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(PeerResetTest.cause(error)).isInstanceOf(ConnectException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void waitForCutsOffAConnectThatIsNeverAnsweredAndClosesItsChannel(Transport transport) throws Exception {
    List<Socket> fillers = new ArrayList<>();
    // A listener that never accepts, its backlog full: Linux drops further SYNs, the connect hangs.
    try (ServerSocket blackhole = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        TestLoop t = TestLoop.create(transport)) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", blackhole.getLocalPort());
      for (int i = 0; i < 16; i++) {
        Socket s = new Socket();
        fillers.add(s);
        try {
          s.connect(address, 300);
        } catch (SocketTimeoutException full) {
          break;
        }
      }
      CompletableFuture<Channel> pending = new CompletableFuture<>();
      ClientOptions options = ClientOptions.builder().pipeline(p -> pending.complete(p.channel())).build();
      long start = System.nanoTime();
      Throwable error = catchThrowable(() -> t.run(() ->
          Aio.waitFor(Streams.openConnection("127.0.0.1", address.getPort(), options), Duration.ofMillis(200))));
      assertThat(PeerResetTest.cause(error)).isInstanceOf(AsyncTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      Channel channel = InboundRecorder.await(pending, WAIT);
      assertThat(channel.closeFuture().awaitUninterruptibly(WAIT.toMillis())).as("the pending channel closed").isTrue();
      assertThat(channel.isOpen()).isFalse();
    } finally {
      for (Socket s : fillers) {
        s.close();
      }
    }
  }
}
