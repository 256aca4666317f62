package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code shutdown(grace)} loses nothing a handler has read: it stops accepting, lets the
 * connections run on until their handlers end, and only then closes (lingering). An echo client
 * that wrote 8 MiB through a 64 KiB receive buffer and stopped reading leaves megabytes the
 * server has read but not sent back; after shutdown it reads them all, then EOF.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int SIZE = 8 << 20;

  /** The seed's echo, counting what it read. */
  private static ClientHandler countingEcho(AtomicLong read) {
    return (reader, writer) -> Echo.countingEcho(reader, writer, read);
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aClientThatStoppedReadingGetsEveryByteItSentBackThenEof(Transport transport) throws Exception {
    byte[] payload = new byte[SIZE];
    new Random(23).nextBytes(payload);
    try (TestLoop t = TestLoop.create(transport)) {
      AtomicLong read = new AtomicLong();
      Server server = t.run(() -> Streams.startServer(countingEcho(read), "127.0.0.1", 0));
      try (Socket client = new Socket()) {
        client.setReceiveBufferSize(64 * 1024);
        client.connect(new InetSocketAddress("127.0.0.1", server.port()));
        CompletableFuture<Throwable> sent = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
          try {
            client.getOutputStream().write(payload);
            client.shutdownOutput();
            sent.complete(null);
          } catch (Exception e) {
            sent.complete(e);
          }
        }, "shutdown-test-sender");
        sender.setDaemon(true);
        sender.start();
        // The server has read at least 4 MiB it could not send back yet: the client is not reading.
        // (Poll for what is asserted: on NIO the server stops reading a little before 4 MiB plus
        // the client's receive buffer, and waiting for that sum cost the whole deadline.)
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (read.get() < (4 << 20) && System.nanoTime() < deadline) {
          Thread.sleep(20); // polling a counter the loop thread moves, with a deadline
        }
        assertThat(read.get()).as("bytes the server read before shutdown").isGreaterThanOrEqualTo(4 << 20);

        Promise<Void> shutdown = server.shutdown(Duration.ofSeconds(5));
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = client.getInputStream();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) { // a reset would throw here
          received.write(buf, 0, n);
        }
        assertThat(received.size()).as("every byte sent came back").isEqualTo(SIZE);
        assertThat(Arrays.equals(received.toByteArray(), payload)).as("byte-exact").isTrue();
        assertThat(InboundRecorder.await(sent, WAIT)).isNull();
        shutdown.join(WAIT);
      }
      assertThat(server.connectionCount()).isZero();
      assertThat(server.isServing()).isFalse();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void shutdownStopsAcceptingAtOnceAndCompletesWhenTheHandlersEnd(Transport transport) throws Exception {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      try (Socket client = new Socket("127.0.0.1", server.port())) {
        client.getOutputStream().write("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(client.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Promise<Void> shutdown = server.shutdown(Duration.ofSeconds(120));
        assertThat(server.isServing()).isFalse();
        // the handler runs on within the grace: the connection still echoes
        client.getOutputStream().write("pong".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(client.getInputStream().readNBytes(4)).isEqualTo("pong".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(shutdown.isDone()).as("not done while a handler runs").isFalse();
        client.shutdownOutput(); // the handler ends
        assertThat(client.getInputStream().read()).isEqualTo(-1);
        shutdown.join(WAIT); // long before the 120 s grace
      }
      assertThat(server.connectionCount()).isZero();
    }
  }
}
