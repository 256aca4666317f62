package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A writer that closes while its peer is still sending must not lose what it wrote: closing a
 * socket with unread input makes Linux reset it, and the reset makes the peer's kernel drop what
 * it had received but not read. With lingering (the default) the peer gets every byte and EOF,
 * on TCP, TLS and Unix sockets; with {@code lingerTimeout(ZERO)} the same close loses bytes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LingeringCloseTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int REPLY = 1 << 20;
  private static final int SENT = 2 << 20;
  private static SelfSignedCertificate cert;
  private static SslContext serverContext;

  @TempDir
  Path dir;

  enum Kind { TCP, TLS, UNIX }

  @BeforeAll
  static void makeCertificate() throws Exception {
    cert = new SelfSignedCertificate("localhost");
    serverContext = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
  }

  @AfterAll
  static void deleteCertificate() {
    cert.delete();
  }

  static Stream<Arguments> kinds() {
    return TestLoop.transports().flatMap(t -> Stream.of(Kind.values()).map(k -> Arguments.of(t, k)));
  }

  /** A blocking peer: the client end of one connection. */
  private record Peer(AutoCloseable socket, InputStream in, OutputStream out, Runnable endOutput) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      socket.close();
    }
  }

  /**
   * Whether the peer ends its output with a FIN. An SSLSocket cannot half-close, and Netty's NIO
   * Unix socket channel does not allow half-closure (a FIN closes it, failing pending writes:
   * the peer's FIN would cut the server's flush short): these peers stop sending instead, and
   * the server's linger timeout ends the connection.
   */
  private static boolean halfCloses(Transport transport, Kind kind) {
    return kind == Kind.TCP || kind == Kind.UNIX && transport != Transport.NIO;
  }

  private Peer connect(Transport transport, Kind kind, Server server, Path unixPath) throws Exception {
    switch (kind) {
      case UNIX: {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(unixPath));
        if (!halfCloses(transport, kind)) {
          return new Peer(ch, Channels.newInputStream(ch), Channels.newOutputStream(ch), () -> { });
        }
        return new Peer(ch, Channels.newInputStream(ch), Channels.newOutputStream(ch), () -> {
          try {
            ch.shutdownOutput();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      }
      case TLS: {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("server", cert.cert());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket();
        s.setReceiveBufferSize(64 * 1024);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        s.startHandshake();
        return new Peer(s, s.getInputStream(), s.getOutputStream(), () -> { });
      }
      default: {
        Socket s = new Socket();
        s.setReceiveBufferSize(64 * 1024);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        return new Peer(s, s.getInputStream(), s.getOutputStream(), () -> {
          try {
            s.shutdownOutput();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      }
    }
  }

  private Server start(TestLoop t, Kind kind, ClientHandler handler, Duration linger, Path unixPath) {
    // A small limit: the server stops reading at 2 KiB, so the peer's bytes wait unread in the kernel.
    ServerOptions.Builder b = ServerOptions.builder().lingerTimeout(linger).limit(1024);
    if (kind == Kind.TLS) {
      b.ssl(serverContext);
    }
    ServerOptions options = b.build();
    return kind == Kind.UNIX
        ? t.run(() -> Streams.startUnixServer(handler, unixPath, options))
        : t.run(() -> Streams.startServer(handler, "127.0.0.1", 0, options));
  }

  /** Once the peer's first byte arrived, writes {@code reply} and closes, reading nothing more. */
  private static ClientHandler writeAndClose(byte[] reply, CompletableFuture<Void> closed) {
    return (reader, writer) -> reader.readExactly(1).thenApply(first -> {
      writer.write(reply);
      writer.close();
      closed.complete(null);
      return null;
    });
  }

  /** Sends {@code SENT} bytes on a thread of its own, then ends its output. */
  private static Thread sendInBackground(Peer peer, CompletableFuture<Throwable> sendError) {
    Thread sender = new Thread(() -> {
      byte[] chunk = new byte[16 * 1024];
      try {
        for (int sent = 0; sent < SENT; sent += chunk.length) {
          peer.out().write(chunk);
        }
        peer.out().flush();
        peer.endOutput().run();
        sendError.complete(null);
      } catch (Exception e) {
        sendError.complete(e);
      }
    }, "lingering-close-sender");
    sender.setDaemon(true);
    sender.start();
    return sender;
  }

  /** Reads to EOF; returns the bytes, or what it got before an error as the error's message. */
  private static byte[] readToEof(InputStream in, java.util.List<Throwable> error) {
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        got.write(buf, 0, n);
      }
    } catch (IOException e) {
      error.add(e);
    }
    return got.toByteArray();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("kinds")
  void aPeerStillSendingGetsEveryByteWrittenBeforeCloseThenEof(Transport transport, Kind kind) throws Exception {
    byte[] reply = new byte[REPLY];
    new Random(17).nextBytes(reply);
    Path unixPath = dir.resolve("linger.sock");
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      Duration linger = halfCloses(transport, kind) ? Duration.ofSeconds(10) : Duration.ofSeconds(1);
      Server server = start(t, kind, writeAndClose(reply, closed), linger, unixPath);
      try (Peer peer = connect(transport, kind, server, unixPath)) {
        CompletableFuture<Throwable> sendError = new CompletableFuture<>();
        sendInBackground(peer, sendError);
        InboundRecorder.await(closed, WAIT);
        java.util.List<Throwable> error = new java.util.ArrayList<>();
        byte[] received = readToEof(peer.in(), error);
        assertThat(error).as("no reset").isEmpty();
        assertThat(received.length).isEqualTo(REPLY);
        assertThat(Arrays.equals(received, reply)).as("the same bytes").isTrue();
        assertThat(InboundRecorder.await(sendError, WAIT)).as("the server discarded what the peer sent").isNull();
      }
      server.close();
      server.waitClosed().join(WAIT);
    }
  }

  /**
   * Where the reset shows reliably: TCP and TLS on epoll (on NIO the reader's pause leaves the
   * kernel's receive queue empty often enough that a close without lingering may not reset).
   */
  static Stream<Arguments> resettingKinds() {
    Transport t = TestLoop.transports().reduce((a, b) -> b).orElseThrow();
    return Stream.of(Arguments.of(t, Kind.TCP), Arguments.of(t, Kind.TLS));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("resettingKinds")
  void withoutLingeringTheSameCloseResetsThePeerAndLosesBytes(Transport transport, Kind kind) throws Exception {
    byte[] reply = new byte[REPLY];
    Path unixPath = dir.resolve("nolinger.sock");
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      Server server = start(t, kind, writeAndClose(reply, closed), Duration.ZERO, unixPath);
      try (Peer peer = connect(transport, kind, server, unixPath)) {
        sendInBackground(peer, new CompletableFuture<>());
        InboundRecorder.await(closed, WAIT);
        java.util.List<Throwable> error = new java.util.ArrayList<>();
        byte[] received = readToEof(peer.in(), error);
        assertThat(!error.isEmpty() || received.length < REPLY)
            .as("reset (%s) or bytes lost (%d of %d received)", error, received.length, REPLY).isTrue();
      }
      server.close();
      server.waitClosed().join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aPeerThatNeverClosesCostsTheLingerTimeoutThenTheConnectionCloses(Transport transport) throws Exception {
    Duration linger = Duration.ofMillis(300);
    try (TestLoop t = TestLoop.create(transport)) {
      CompletableFuture<Long> closeCalled = new CompletableFuture<>();
      CompletableFuture<Long> socketClosed = new CompletableFuture<>();
      ClientHandler handler = (reader, writer) -> {
        writer.write("bye\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        closeCalled.complete(System.nanoTime());
        writer.close();
        writer.waitClosed().addDoneCallback(p -> socketClosed.complete(System.nanoTime()));
        return Promise.completed(null);
      };
      Server server = t.run(() -> Streams.startServer(handler, "127.0.0.1", 0,
          ServerOptions.builder().lingerTimeout(linger).build()));
      try (Socket peer = new Socket("127.0.0.1", server.port())) {
        peer.getOutputStream().write(new byte[1000]); // input the server has not read, and never an EOF
        InputStream in = peer.getInputStream();
        assertThat(new String(in.readNBytes(4), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("bye\n");
        assertThat(in.read()).as("the server half-closed its output").isEqualTo(-1);
        long lingered = InboundRecorder.await(socketClosed, WAIT) - InboundRecorder.await(closeCalled, WAIT);
        assertThat(Duration.ofNanos(lingered)).as("it lingered").isGreaterThanOrEqualTo(linger.minusMillis(50))
            .as("bounded by the linger timeout").isLessThan(Duration.ofSeconds(10));
        server.close();
        server.waitClosed().join(WAIT);
        assertThat(server.connectionCount()).isZero();
      }
    }
  }
}
