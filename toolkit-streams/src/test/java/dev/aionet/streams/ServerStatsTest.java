package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.AsyncEvent;
import dev.aionet.core.Transport;
import io.netty.buffer.ByteBuf;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Server#stats()}: each figure moved by a known amount by a plain socket client, for byte
 * streams and for message connections alike.
 */
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

  /** Once the one connection closed, the stats are exactly that connection's traffic; shuts down. */
  private static void assertOneConnectionClosedAfter(Server server, long read, long written) throws Exception {
    ServerStats s = pollUntil(server, x -> x.open() == 0);
    assertThat(s).isEqualTo(new ServerStats(0, 1, 0, read, written));
    server.shutdown(WAIT).join(WAIT);
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
      assertOneConnectionClosedAfter(server, data.length, data.length);
    }
  }

  /**
   * Length-prefixed frames of 0 to 39,884 bytes echoed one at a time: each counts 4 + its length
   * both ways, the bytes on the wire beneath the codec (the prefix encoder writes a frame as two
   * buffers).
   */
  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aMessageServerCountsTheBytesOfItsFramesOnTheWire(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Messages.startServer(
          (MessageReader<ByteBuf> r, MessageWriter<ByteBuf> w) -> MessageEcho.serve(r, w, frame -> frame),
          Codec.lengthPrefixed(1 << 16), "127.0.0.1", 0));
      long wire = 0;
      Random random = new Random(11);
      try (Socket s = connect(server)) {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        DataInputStream in = new DataInputStream(s.getInputStream());
        for (int i = 0; i < 50; i++) {
          byte[] frame = new byte[i * 814];
          random.nextBytes(frame);
          out.writeInt(frame.length);
          out.write(frame);
          out.flush();
          assertThat(in.readInt()).isEqualTo(frame.length);
          assertThat(in.readNBytes(frame.length)).isEqualTo(frame);
          wire += 4 + frame.length;
        }
        s.shutdownOutput();
        assertThat(in.read()).isEqualTo(-1);
      }
      assertOneConnectionClosedAfter(server, wire, wire);
    }
  }

  /** Lines echoed on {@link Codec#lines}: each counts with its newline (one buffer per line written). */
  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aLineServerCountsEachLineWithItsNewline(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Messages.startServer(MessageEcho::lines, Codec.lines(1024), "127.0.0.1", 0));
      long wire = 0;
      try (Socket s = connect(server)) {
        OutputStream out = s.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        for (int i = 0; i < 200; i++) {
          String line = "line " + i + " " + "x".repeat(i);
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          assertThat(in.readLine()).isEqualTo(line);
          wire += line.length() + 1;
        }
      }
      assertOneConnectionClosedAfter(server, wire, wire);
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
