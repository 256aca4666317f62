package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.AsyncEvent;
import dev.aionet.core.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Server#stats()}: each figure moved by a known amount by a plain socket client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerStatsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ServerStats pollUntil(Server server, Predicate<ServerStats> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    ServerStats s = server.stats();
    while (!condition.test(s)) {
      assertThat(System.nanoTime()).as("waiting; stats are %s", s).isLessThan(deadline);
      Thread.sleep(5);
      s = server.stats();
    }
    return s;
  }

  private static Socket connect(Server server) throws Exception {
    Socket s = new Socket("127.0.0.1", server.port());
    s.setSoTimeout((int) WAIT.toMillis());
    return s;
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void bytesReadAndWrittenAreWhatAClientSentAndReceived(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      assertThat(server.stats()).isEqualTo(new ServerStats(0, 0, 0, 0, 0));
      byte[] data = new byte[300_000];
      new Random(7).nextBytes(data);
      long received = 0;
      try (Socket s = connect(server)) {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        for (int off = 0; off < data.length; off += 30_000) {
          out.write(data, off, 30_000);
          received += in.readNBytes(30_000).length; // one echo at a time: nothing piles up
        }
        s.shutdownOutput();
        assertThat(in.read()).isEqualTo(-1);
      }
      assertThat(received).isEqualTo(data.length);
      ServerStats s = pollUntil(server, x -> x.open() == 0);
      assertThat(s).isEqualTo(new ServerStats(0, 1, 0, data.length, data.length));
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void rejectedCountsTheConnectionsRefusedAtMaxConnections(Transport transport) throws Exception {
    AsyncEvent release = new AsyncEvent();
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((r, w) -> release.await(), "127.0.0.1", 0,
          ServerOptions.builder().maxConnections(1).build()));
      try (Socket first = connect(server)) {
        pollUntil(server, s -> s.open() == 1);
        for (int i = 0; i < 3; i++) {
          try (Socket refused = connect(server)) {
            assertThat(refused.getInputStream().read()).as("closed at once").isEqualTo(-1);
          } catch (java.net.SocketException reset) {
            // closed at once, seen as a reset: refused all the same
          }
        }
        ServerStats s = pollUntil(server, x -> x.rejected() == 3);
        assertThat(s.accepted()).isEqualTo(1);
        assertThat(s.open()).isEqualTo(1);
        release.set();
      }
      pollUntil(server, x -> x.open() == 0);
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
