package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Transport;
import dev.aionet.testing.ChildJvm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F17 (docs/faults.md): direct memory runs out. A child JVM serves under
 * {@code -XX:MaxDirectMemorySize=16m} with Netty's leak detector at PARANOID; 200 clients each
 * send 1 MiB at once to a handler that stalls for three seconds before it reads, so the readers'
 * buffers (up to about 192 KiB each) want far more direct memory than there is. Some connections fail, each reported once with the
 * {@link OutOfMemoryError} named; the others get their answer; afterwards the server holds no
 * connection, serves a new client, and Netty reports no leak. (Netty's own count of direct memory
 * is on in the child; without it the JDK's limit makes each failed allocation collect garbage and
 * sleep on the loop thread first, about half a second.)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DirectMemoryExhaustionTest {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DirectMemoryExhaustionTest.class);
  private static final int CLIENTS = 200;
  private static final int EACH = 1 << 20;
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(90);

  /** One client: what is left to send, then what it received until the server closed. */
  private static final class Client {
    final SocketChannel channel;
    final ByteBuffer out;
    final ByteBuffer in = ByteBuffer.allocate(64);
    boolean done;
    boolean failed;

    Client(SocketChannel channel, ByteBuffer out) {
      this.channel = channel;
      this.out = out;
    }

    String answer() {
      return new String(in.array(), 0, in.position(), US_ASCII);
    }
  }

  /**
   * Sends {@code EACH} bytes on every client at once, then a FIN, and reads each answer until the
   * server closes: one thread, non-blocking sockets. A reset, or an EOF before the answer, is a
   * failed connection.
   */
  private static List<Client> flood(InetSocketAddress server, int count) throws IOException {
    ByteBuffer payload = ByteBuffer.allocateDirect(EACH);
    List<Client> clients = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < count; i++) {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, EACH); // the whole MiB leaves at once
        ch.connect(server);
        ch.configureBlocking(false);
        Client c = new Client(ch, payload.duplicate());
        clients.add(c);
        ch.register(selector, SelectionKey.OP_WRITE, c);
      }
      long deadline = System.nanoTime() + WAIT_NANOS;
      long open = count;
      while (open > 0) {
        assertThat(System.nanoTime()).as("every client finished").isLessThan(deadline);
        selector.select(1000);
        for (SelectionKey key : selector.selectedKeys()) {
          Client c = (Client) key.attachment();
          if (!step(c, key)) {
            c.done = true;
            open--;
            key.cancel();
            c.channel.close();
          }
        }
        selector.selectedKeys().clear();
      }
    } finally {
      for (Client c : clients) {
        c.channel.close();
      }
    }
    return clients;
  }

  /** Moves one client on; returns false when it is over. */
  private static boolean step(Client c, SelectionKey key) {
    try {
      if (c.out.hasRemaining()) {
        c.channel.write(c.out);
        if (!c.out.hasRemaining()) {
          c.channel.shutdownOutput();
          key.interestOps(SelectionKey.OP_READ);
        }
        return true;
      }
      if (c.channel.read(c.in) >= 0 && c.in.hasRemaining()) {
        return true;
      }
      c.failed = !c.answer().equals(EACH + "\n");
      return false;
    } catch (IOException reset) {
      c.failed = true;
      return false;
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void someConnectionsFailWithAClearErrorTheRestAreServedAndTheServerRecoversWithoutLeaks(Transport transport)
      throws Exception {
    try (ChildJvm child = ChildJvm.start(DirectMemoryExhaustionServer.class, path -> false, List.of(
        "-XX:MaxDirectMemorySize=16m", "-Xmx256m", "-Dio.netty.leakDetection.level=paranoid",
        // Netty's own count of direct memory, which fails at once: the JDK's limit retries with
        // garbage collections and sleeps (up to about 0.5 s) on the loop thread for each failure
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true",
        "-Dio.netty.customResourceLeakDetector=dev.aionet.testing.LeakRecordingDetector"), transport.name())) {
      int port = Integer.parseInt(child.awaitLineStartingWith("PORT ", 60).substring(5).trim());
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);

      long start = System.nanoTime();
      List<Client> clients = flood(address, CLIENTS);
      long failed = clients.stream().filter(c -> c.failed).count();
      log.info("{}: {} clients x {} bytes under a 16 MiB direct memory limit: {} failed, {} ms", transport, CLIENTS,
          EACH, failed, (System.nanoTime() - start) / 1_000_000);
      assertThat(failed).as("connections that failed for want of direct memory").isPositive();
      assertThat(CLIENTS - failed).as("connections served").isPositive();

      List<Client> after = flood(address, 1);
      assertThat(after.get(0).failed).as("a new client after the flood is served").isFalse();
      child.stdin().println("IDLE");
      String[] idle = child.awaitLineStartingWith("IDLE ", 60).split(" ");
      log.info("{}: after the flood the server holds {} bytes of direct memory", transport, idle[2]);
      assertThat(idle[1]).as("connections left open").isEqualTo("0");
      assertThat(Long.parseLong(idle[2])).as("direct memory in use once idle").isLessThan(16L << 20);

      child.stdin().close();
      child.awaitLineStartingWith("DONE", 60);
      String output = child.stdout();
      List<String> reports = output.lines().filter(l -> l.startsWith("REPORT ")).toList();
      log.info("{}: {} reports, e.g. {}", transport, reports.size(), reports.stream().distinct().limit(3).toList());
      assertThat(reports).as("reports").isNotEmpty().hasSizeLessThanOrEqualTo((int) failed)
          .allSatisfy(r -> assertThat(r).startsWith("REPORT Connection closed: out of memory | ")
              .containsAnyOf("OutOfDirectMemoryError", "OutOfMemoryError"));
      assertThat(output).as("the child's output").doesNotContain("LEAK:");
      assertThat(child.exitStatus(30)).isZero();
    }
  }
}
