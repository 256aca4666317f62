package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopError;
import dev.aionet.core.LoopOptions;
import io.netty.channel.Channel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;
import org.slf4j.LoggerFactory;

/**
 * A bad peer costs the log at most one line, whatever handler saw its fault: 1,000 plaintext
 * clients of a TLS server and 1,000 connections closed by a user's {@link ReadTimeoutHandler}
 * write at most one WARN-or-lower line each, without a stack trace; a user's exception handler
 * still gets every fault, once per connection, with its channel and the original cause.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadPeerLoggingTest {
  private static final int CONNECTIONS = 1000;
  private static final int BATCH = 200;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static SelfSignedCertificate cert;
  private static SslContext serverContext;

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Set<Channel> accepted = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void makeCertificate() throws Exception {
    cert = new SelfSignedCertificate("localhost");
    serverContext = SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
  }

  @AfterAll
  static void deleteCertificate() {
    cert.delete();
  }

  @BeforeEach
  void captureTheLog() {
    log.start();
    root.addAppender(log);
  }

  @AfterEach
  void releaseTheLog() {
    root.detachAppender(log);
  }

  @Test
  void plaintextClientsOfATlsServerCostOneQuietLineEachAndReachTheHandlerOnce() throws Exception {
    ServerOptions options = ServerOptions.builder().ssl(serverContext)
        .pipeline(p -> accepted.add(p.channel())).build();
    byte[] garbage = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII);
    assertOneQuietLineAndOneReportPerConnection("plaintext to TLS", options, garbage,
        cause -> cause instanceof NotSslRecordException);
  }

  @Test
  void connectionsClosedByAReadTimeoutHandlerCostOneQuietLineEachAndReachTheHandlerOnceAsATimeout()
      throws Exception {
    ServerOptions options = ServerOptions.builder()
        .pipeline(p -> {
          accepted.add(p.channel());
          p.addLast(new ReadTimeoutHandler(200, TimeUnit.MILLISECONDS));
        }).build();
    assertOneQuietLineAndOneReportPerConnection("ReadTimeoutHandler", options, new byte[0],
        cause -> cause instanceof ReadTimeoutException);
  }

  private void assertOneQuietLineAndOneReportPerConnection(String scenario, ServerOptions options, byte[] send,
      Predicate<Throwable> expectedCause) throws Exception {
    try (Loop loop = Loop.create(LoopOptions.builder().threads(2).build())) {
      Server server = loop.runUntilComplete(() -> Streams.startServer(
          (reader, writer) -> Echo.echo(reader, writer), "127.0.0.1", 0, options));
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());

      // With the default exception handler: what reaches the log.
      badPeers(address, send, server);
      List<ILoggingEvent> events = List.copyOf(log.list);
      long lines = events.stream().mapToLong(BadPeerLoggingTest::linesOf).sum();
      System.out.printf("%s: %d connections, %d log events, %d lines, %d with a stack trace%n",
          scenario, CONNECTIONS, events.size(), lines,
          events.stream().filter(e -> e.getThrowableProxy() != null).count());
      assertThat(lines).as("log lines for %d bad peers", CONNECTIONS).isLessThanOrEqualTo(CONNECTIONS);
      assertThat(events).as("no stack trace outside debug mode").allMatch(e -> e.getThrowableProxy() == null);
      assertThat(events).as("WARN or lower").allMatch(e -> !e.getLevel().isGreaterOrEqual(Level.ERROR));

      // With a user's handler: every connection's fault, once, with its channel and cause.
      @SuppressWarnings("unchecked")
      Consumer<LoopError> handler = mock(Consumer.class);
      loop.setExceptionHandler(handler);
      accepted.clear();
      badPeers(address, send, server);
      ArgumentCaptor<LoopError> reported = ArgumentCaptor.forClass(LoopError.class);
      verify(handler, timeout(WAIT.toMillis()).times(CONNECTIONS)).accept(reported.capture());
      verify(handler, times(CONNECTIONS)).accept(org.mockito.ArgumentMatchers.any());
      assertThat(reported.getAllValues()).allSatisfy(e -> {
        assertThat(e.exception()).matches(expectedCause);
        assertThat(e.channel()).isPresent();
      });
      assertThat(reported.getAllValues().stream().map(e -> e.channel().get()).distinct())
          .as("one report per connection, each with its own channel")
          .containsExactlyInAnyOrderElementsOf(accepted);

      loop.runUntilComplete(() -> server.shutdown(Duration.ZERO));
    }
  }

  /** Opens the connections in batches, sends {@code send} on each, and reads each to its end. */
  private static void badPeers(InetSocketAddress address, byte[] send, Server server) throws Exception {
    for (int done = 0; done < CONNECTIONS; done += BATCH) {
      List<Socket> batch = new ArrayList<>();
      try {
        for (int i = 0; i < BATCH; i++) {
          Socket s = new Socket();
          batch.add(s);
          s.connect(address, (int) WAIT.toMillis());
          s.setSoTimeout((int) WAIT.toMillis());
          s.getOutputStream().write(send);
        }
        for (Socket s : batch) {
          readToEnd(s.getInputStream());
        }
      } finally {
        for (Socket s : batch) {
          s.close();
        }
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.connectionCount() != 0) {
      assertThat(System.nanoTime()).as("every connection closed on the server").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  private static void readToEnd(InputStream in) {
    try {
      while (in.read(new byte[512]) >= 0) {
        // what the server sends before it closes (a TLS alert) is not the point
      }
    } catch (IOException reset) {
      // the server may reset: either way the connection is over
    }
  }

  /** The lines an event makes in a log file: its message's, and its stack trace's if any. */
  private static long linesOf(ILoggingEvent e) {
    long lines = e.getFormattedMessage().lines().count();
    for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      lines += 1 + t.getStackTraceElementProxyArray().length;
    }
    return lines;
  }
}
