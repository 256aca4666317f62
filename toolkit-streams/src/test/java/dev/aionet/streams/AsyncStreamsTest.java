package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.CancelledException;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import dev.aionet.core.Transport;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Streams used from async bodies: echo servers and clients written with Aio.await, on real sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncStreamsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static SelfSignedCertificate cert;

  @TempDir
  Path dir;

  /** A line echo in sequential style (the samples' EchoServer.echoAwait is the seed's read(100) one). */
  static Promise<Void> echo(StreamReader reader, StreamWriter writer) {
    return Aio.async(() -> {
      byte[] line;
      while ((line = Aio.await(reader.readLine())).length > 0) {
        Aio.await(writer.writeAndDrain(line));
      }
      writer.close();
      return Aio.await(writer.waitClosed());
    });
  }

  /** A client body: sends each message, reads its echo, closes; returns what came back. */
  private static Task<List<String>> client(Promise<Connection> connecting, List<String> messages) {
    return Aio.async(() -> {
      Connection c = Aio.await(connecting);
      List<String> back = new ArrayList<>();
      for (String m : messages) {
        c.writer().write(m + "\n", US_ASCII);
        Aio.await(c.writer().drain());
        back.add(new String(Aio.await(c.reader().readLine()), US_ASCII).trim());
      }
      c.writer().close();
      Aio.await(c.writer().waitClosed());
      return back;
    });
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void anEchoServerInAwaitStyleServesManyClients(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      List<List<String>> all = t.run(() -> Aio.async(() -> {
        Server server = Aio.await(Streams.startServer(AsyncStreamsTest::echo, "127.0.0.1", 0));
        List<Task<List<String>>> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          List<String> lines = new ArrayList<>();
          for (int k = 0; k < 25; k++) {
            lines.add("client " + i + " line " + k);
          }
          clients.add(client(Streams.openConnection("127.0.0.1", server.port()), lines));
        }
        List<List<String>> r = Aio.await(Aio.gather(clients));
        server.close();
        Aio.await(server.waitClosed());
        return r;
      }));
      assertThat(all).hasSize(20);
      for (int i = 0; i < 20; i++) {
        assertThat(all.get(i)).hasSize(25).startsWith("client " + i + " line 0").endsWith("client " + i + " line 24");
      }
    }
  }

  @Test
  void cancellingABodyBlockedInReadCancelsTheReadAndKeepsLaterBytesForTheNextRead() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      Server server = t.run(() -> Streams.startServer((r, w) -> Aio.async(() -> {
        Aio.await(Aio.sleep(Duration.ofMillis(300)));
        w.write("late bytes".getBytes(US_ASCII));
        Aio.await(w.drain());
        return Aio.await(r.read(-1)); // until the client closes
      }).thenApply(x -> null), "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      AtomicReference<Promise<byte[]>> read = new AtomicReference<>();
      Task<String> blocked = t.run(() -> Promise.completed(Aio.async(() -> {
        Promise<byte[]> r = c.reader().read(100);
        read.set(r);
        try {
          Aio.await(r);
          return "read returned";
        } catch (CancelledException e) {
          return "await threw CancelledException";
        }
      })));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (read.get() == null && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      blocked.cancel();
      assertThat(blocked.join(WAIT)).isEqualTo("await threw CancelledException");
      assertThat(read.get().isCancelled()).isTrue();
      String next = t.run(() -> Aio.async(() -> new String(Aio.await(c.reader().readExactly(10)), US_ASCII)));
      assertThat(next).isEqualTo("late bytes");
      c.writer().close();
      server.close();
      server.waitClosed().join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void largeAndSmallWritesOfABodyReachThePeerInOrder(Transport transport) {
    byte[] large = new byte[256 * 1024];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) ('a' + i % 26);
    }
    try (TestLoop t = TestLoop.create(transport)) {
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      for (int round = 0; round < 4; round++) {
        expected.writeBytes(large);
        expected.writeBytes(("small " + round + "\n").getBytes(US_ASCII));
        expected.writeBytes(Arrays.copyOf(large, 1000));
      }
      Server server = t.run(() -> Streams.startServer((r, w) -> Aio.async(() -> {
        for (int round = 0; round < 4; round++) {
          w.write(large);                                      // a write of its own
          w.write(("small " + round + "\n").getBytes(US_ASCII)); // gathered
          w.write(io.netty.buffer.Unpooled.wrappedBuffer(Arrays.copyOf(large, 1000)));
        }
        Aio.await(w.drain());
        w.close();
        return Aio.await(w.waitClosed());
      }), "127.0.0.1", 0));
      byte[] got = t.run(() -> Aio.async(() -> {
        Connection c = Aio.await(Streams.openConnection("127.0.0.1", server.port()));
        byte[] all = Aio.await(c.reader().read(-1));
        c.writer().close();
        return all;
      }));
      assertThat(got).isEqualTo(expected.toByteArray());
      server.close();
      server.waitClosed().join(WAIT);
    }
  }

  @BeforeAll
  @SuppressWarnings("deprecation")
  static void makeCertificate() throws Exception {
    cert = new SelfSignedCertificate("localhost"); // slow (keytool): outside the tests' time budget
  }

  @AfterAll
  static void deleteCertificate() {
    cert.delete();
  }

  @Test
  void aTlsEchoInAwaitStyle() throws Exception {
    SslContext serverContext = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
    SslContext clientContext = SslContextBuilder.forClient().trustManager(cert.certificate()).build();
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      List<String> back = t.run(() -> Aio.async(() -> {
        Server server = Aio.await(Streams.startServer(AsyncStreamsTest::echo, "127.0.0.1", 0,
            ServerOptions.builder().ssl(serverContext).build()));
        List<String> r = Aio.await(client(Streams.openConnection("127.0.0.1", server.port(),
            ClientOptions.builder().ssl(clientContext).serverHostname("localhost").build()), List.of("secret", "more")));
        server.close();
        Aio.await(server.waitClosed());
        return r;
      }));
      assertThat(back).containsExactly("secret", "more");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aUnixSocketEchoInAwaitStyle(Transport transport) {
    Path socket = dir.resolve("await-" + transport + ".sock");
    try (TestLoop t = TestLoop.create(transport)) {
      List<String> back = t.run(() -> Aio.async(() -> {
        Server server = Aio.await(Streams.startUnixServer(AsyncStreamsTest::echo, socket, ServerOptions.defaults()));
        List<String> r = Aio.await(client(Streams.openUnixConnection(socket, ClientOptions.defaults()),
            List.of("over", "a file")));
        server.close();
        Aio.await(server.waitClosed());
        return r;
      }));
      assertThat(back).containsExactly("over", "a file");
    }
  }
}
