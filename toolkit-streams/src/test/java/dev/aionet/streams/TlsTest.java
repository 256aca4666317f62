package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.LoopError;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** TLS servers and clients, handshake failures and timeouts, and startTls, on real sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static SelfSignedCertificate cert;
  private static SslContext serverContext;
  private static SslContext clientContext;

  @BeforeAll
  @SuppressWarnings("deprecation")
  static void makeCertificate() throws Exception {
    cert = new SelfSignedCertificate("localhost");
    serverContext = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
    clientContext = SslContextBuilder.forClient().trustManager(cert.certificate()).build();
  }

  @AfterAll
  static void deleteCertificate() {
    cert.delete();
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aTlsServerAndClientExchangeLinesAfterTheHandshake(Transport transport) {
    AtomicReference<Object> serverSide = new AtomicReference<>();
    AtomicReference<java.util.List<String>> names = new AtomicReference<>();
    try (TestLoop t = TestLoop.create(transport)) {
      ServerOptions options = ServerOptions.builder().ssl(serverContext)
          .pipeline(p -> p.addLast("user", new io.netty.handler.logging.LoggingHandler()))
          .idleTimeout(Duration.ofSeconds(30))
          .build();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        serverSide.set(writer.getExtraInfo("sslcontext"));
        names.set(writer.channel().pipeline().names());
        return Echo.echo(reader, writer);
      }, "127.0.0.1", 0, options));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port(),
          ClientOptions.builder().ssl(clientContext).serverHostname("localhost").build()));
      c.writer().write("secret\n", US_ASCII);
      assertThat(new String(c.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("secret\n");
      assertThat(c.writer().getExtraInfo("sslcontext")).isSameAs(clientContext);
      assertThat(c.writer().getExtraInfo("peercert")).isInstanceOf(X509Certificate.class)
          .isEqualTo(cert.cert());
      assertThat(serverSide.get()).isSameAs(serverContext);
      // pipeline order: SslHandler -> the user's handlers -> aionet's protections -> the stream adapter
      assertThat(names.get()).containsSubsequence("aionet-ssl", "user", "aionet-timeouts", "aionet-stream");
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aClientChecksTheServersHostname(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      t.expect(e -> e.message().equals("SSL handshake failed"));
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0,
          ServerOptions.builder().ssl(serverContext).build()));
      Throwable error = t.run(() -> Streams.openConnection("127.0.0.1", server.port(),
          ClientOptions.builder().ssl(clientContext).serverHostname("not-the-name.example").build())
          .handle((c, e) -> e));
      assertThat(error).isInstanceOf(SSLException.class);
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aFailedHandshakeIsReportedAndTheHandlerNeverRuns(Transport transport) throws Exception {
    AtomicInteger handlers = new AtomicInteger();
    try (TestLoop t = TestLoop.create(transport)) {
      t.expect(e -> e.message().equals("SSL handshake failed"));
      Server server = t.run(() -> Streams.startServer(Echo.countingStarts(handlers), "127.0.0.1", 0, ServerOptions.builder().ssl(serverContext).build()));
      SslContext trustsNothing = SslContextBuilder.forClient().build(); // the JDK's CAs: not our certificate
      Throwable error = t.run(() -> Streams.openConnection("127.0.0.1", server.port(),
          ClientOptions.builder().ssl(trustsNothing).serverHostname("localhost").build()).handle((c, e) -> e));
      assertThat(error).isInstanceOf(SSLException.class);
      LoopError reported = t.awaitErrors(1, WAIT).get(0);
      assertThat(reported.exception()).isInstanceOf(SSLException.class);
      assertThat(reported.channel()).isPresent();
      server.shutdown(WAIT).join(WAIT);
      assertThat(handlers).hasValue(0);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aPeerThatSpeaksGarbageInsteadOfTlsIsClosedAndTheServerKeepsServing(Transport transport) throws Exception {
    // Fault F11 (docs/faults.md): not a TLS record at all; the connection is closed, the error reported, nothing leaks
    AtomicInteger handlers = new AtomicInteger();
    try (TestLoop t = TestLoop.create(transport)) {
      t.expect(e -> e.exception() instanceof SSLException);
      Server server = t.run(() -> Streams.startServer(Echo.countingStarts(handlers), "127.0.0.1", 0, ServerOptions.builder().ssl(serverContext).build()));
      Connection garbage = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      byte[] noise = new byte[4096];
      new java.util.Random(7).nextBytes(noise);
      noise[0] = 'G'; // "GET / HTTP/1.1" style: never a TLS record type
      garbage.writer().write(noise);
      Promise<byte[]> rest = garbage.reader().read(-1);
      rest.handle((v, e) -> null).join(WAIT); // the server closed the connection
      LoopError reported = t.awaitErrors(1, WAIT).get(0);
      assertThat(reported.exception()).isInstanceOf(SSLException.class);
      assertThat(reported.channel()).isPresent();
      garbage.writer().close();

      // the server still completes a real handshake and serves
      SslContext client = SslContextBuilder.forClient().trustManager(cert.certificate()).build();
      String echoed = t.run(() -> Streams.openConnection("127.0.0.1", server.port(),
          ClientOptions.builder().ssl(client).serverHostname("localhost").build()).thenCompose(c -> {
            c.writer().write("still here\n", java.nio.charset.StandardCharsets.UTF_8);
            return c.reader().readLine(java.nio.charset.StandardCharsets.UTF_8).whenComplete((l, e) -> c.writer().close());
          }));
      assertThat(echoed).isEqualTo("still here");
      server.shutdown(WAIT).join(WAIT);
      assertThat(handlers).hasValue(1);
    }
  }

  @Test
  void aSilentPeerIsCutOffAtTheHandshakeTimeout() {
    // Fault F11: a plain TCP client connects to a TLS server and sends nothing; on the test kit's
    // virtual clock (both ends on it, so no I/O grace), so the 90 s timeout is exact and instant
    try (dev.aionet.test.TestLoop t = dev.aionet.test.TestLoop.create(
        dev.aionet.test.TestLoopOptions.builder().ioGrace(Duration.ZERO).build())) {
      List<LoopError> reported = new CopyOnWriteArrayList<>();
      t.loop().setExceptionHandler(reported::add);
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0,
          ServerOptions.builder().ssl(serverContext).sslHandshakeTimeout(Duration.ofSeconds(90)).build()));
      Connection plain = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      byte[] rest = t.run(() -> plain.reader().read(-1).handle((v, e) -> v == null ? new byte[0] : v));
      assertThat(rest).isEmpty();
      assertThat(t.time()).isEqualTo(90.0);
      plain.writer().close();
      t.run(() -> server.shutdown(Duration.ofSeconds(5)));
      assertThat(reported).singleElement().satisfies(e -> assertThat(e.exception())
          .isInstanceOf(SslHandshakeTimeoutException.class).hasMessageContaining("handshake timed out after 90000ms"));
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void startTlsUpgradesAPlainConnectionInPlace(Transport transport) {
    // asyncio test_start_tls: a line in clear, both sides start TLS, a line over TLS
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.readLine().thenCompose(line -> {
        writer.write(line);
        return writer.startTls(serverContext);
      }).thenCompose(x -> reader.readLine()).thenCompose(line -> {
        writer.write(line);
        return writer.drain();
      }), "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      c.writer().write("in clear\n", US_ASCII);
      assertThat(new String(c.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("in clear\n");
      assertThat(c.writer().getExtraInfo("sslcontext")).isNull();
      c.writer().startTls(clientContext, "localhost").join(WAIT);
      assertThat(c.writer().getExtraInfo("sslcontext")).isSameAs(clientContext);
      c.writer().write("over tls\n", US_ASCII);
      assertThat(new String(c.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("over tls\n");
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
