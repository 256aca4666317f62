package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Aio;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.LoopError;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** startServer / openConnection / Server over real loopback sockets, on every transport. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamsServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Connection connect(TestLoop t, Server server) {
    return t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
  }

  private static String line(Connection c) {
    return new String(c.reader().readLine().join(WAIT), US_ASCII);
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aServerOnPortZeroReportsItsPortAndServesClients(Transport transport) {
    // asyncio test_start_server: ephemeral port, a client echoes, no exception-handler messages
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      assertThat(server.port()).isPositive();
      assertThat(server.sockets()).containsExactly(new InetSocketAddress("127.0.0.1", server.port()));
      assertThat(server.isServing()).isTrue();

      Connection c = connect(t, server);
      c.writer().write("hello\n", US_ASCII);
      assertThat(line(c)).isEqualTo("hello\n");
      assertThat(server.connectionCount()).isEqualTo(1);
      c.writer().close();
      c.writer().waitClosed().join(WAIT);
      server.close();
      server.waitClosed().join(WAIT);
      assertThat(server.connectionCount()).isZero();
      assertThat(server.sockets()).isEmpty();
      assertThat(server.isServing()).isFalse();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aHandlerThatThrowsIsReportedItsConnectionClosedAndTheServerKeepsServing(Transport transport)
      throws InterruptedException {
    // asyncio
    try (TestLoop t = TestLoop.create(transport)) {
      t.expect(e -> e.message().equals("Unhandled exception in client_connected_cb"));
      IllegalStateException boom = new IllegalStateException("boom");
      AtomicInteger calls = new AtomicInteger();
      ClientHandler handler = (reader, writer) -> {
        if (calls.incrementAndGet() == 1) {
          throw boom;
        }
        if (calls.get() == 2) {
          return reader.readLine().thenCompose(l -> Promise.failed(new java.io.IOException("failed promise")));
        }
        return Echo.echo(reader, writer);
      };
      Server server = t.run(() -> Streams.startServer(handler, "127.0.0.1", 0));

      Connection first = connect(t, server);
      assertThat(first.reader().read(10).join(WAIT)).as("closed: EOF").isEmpty();
      Connection second = connect(t, server);
      second.writer().write("x\n", US_ASCII);
      assertThat(second.reader().read(10).join(WAIT)).isEmpty();

      List<LoopError> errors = t.awaitErrors(2, WAIT);
      assertThat(errors.get(0).exception()).isSameAs(boom);
      assertThat(errors.get(0).channel()).isPresent();
      assertThat(errors.get(0).task()).isPresent();
      assertThat(errors.get(1).exception()).hasMessage("failed promise");

      Connection third = connect(t, server);
      third.writer().write("still serving\n", US_ASCII);
      assertThat(line(third)).isEqualTo("still serving\n");
      for (Connection c : List.of(first, second, third)) {
        c.writer().close();
      }
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aCancelledHandlerClosesItsConnectionSilently(Transport transport) {
    // asyncio 3.12+: a cancelled client_connected_cb task closes its transport, logs nothing
    try (TestLoop t = TestLoop.create(transport)) {
      Set<Promise<?>> handlers = ConcurrentHashMap.newKeySet();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        Promise<byte[]> forever = reader.readExactly(1 << 20);
        handlers.add(forever);
        return forever.thenApply(x -> null);
      }, "127.0.0.1", 0));
      Connection c = connect(t, server);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (handlers.isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      handlers.forEach(Promise::cancel);
      assertThat(c.reader().read(10).join(WAIT)).isEmpty();
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
      assertThat(t.errors()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aFinishedHandlerFlushesAndClosesItsConnection(Transport transport) {
    // docs/differences-from-asyncio.md #7: 10 MiB written, then the handler returns without closing
    byte[] payload = new byte[10 << 20];
    new Random(7).nextBytes(payload);
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        writer.write(payload);
        return Promise.completed(null);
      }, "127.0.0.1", 0));
      Connection c = connect(t, server);
      byte[] received = t.run(() -> Echo.readAll(c.reader(), new ByteArrayOutputStream()));
      assertThat(received).isEqualTo(payload);
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void waitClosedWaitsForTheListenerAndEveryConnection(Transport transport) {
    // asyncio test_wait_closed_basic
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      Promise<Void> beforeClients = server.waitClosed();
      Connection c = connect(t, server);
      c.writer().write("ping\n", US_ASCII);
      assertThat(line(c)).isEqualTo("ping\n");
      Promise<Void> withClient = server.waitClosed();
      server.close();
      Promise<Void> afterClose = server.waitClosed();
      assertThatThrownBy(() -> afterClose.join(Duration.ofMillis(200)))
          .isInstanceOf(dev.aionet.core.AsyncTimeoutException.class);
      assertThat(beforeClients.isDone()).isFalse();
      assertThat(withClient.isDone()).isFalse();

      c.writer().close();
      beforeClients.join(WAIT);
      withClient.join(WAIT);
      afterClose.join(WAIT);
      server.waitClosed().join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void closeStopsAcceptingButKeepsOpenConnections(Transport transport) {
    // asyncio AbstractServer.close: "This leaves existing connections open"
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      Connection c = connect(t, server);
      server.close();
      server.close(); // twice is harmless
      assertThat(server.isServing()).isFalse();
      long deadline = System.nanoTime() + WAIT.toNanos();
      Throwable refused = null;
      while (refused == null && System.nanoTime() < deadline) {
        refused = t.run(() -> Streams.openConnection("127.0.0.1", server.port())
            .handle((conn, error) -> {
              if (conn != null) {
                conn.writer().close();
              }
              return error;
            }));
      }
      // refused, or reset by a listener that was closing while the connect was pending
      assertThat(refused).isInstanceOf(java.net.SocketException.class);
      c.writer().write("still here\n", US_ASCII);
      assertThat(line(c)).isEqualTo("still here\n");
      c.writer().close();
      server.waitClosed().join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void serveForeverCompletesOnCloseAndRefusesASecondCall(Transport transport) {
    // asyncio
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      Promise<Void> forever = server.serveForever();
      assertThat(server.serveForever().exception()).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already being awaited on serveForever()");
      assertThat(forever.isDone()).isFalse();
      server.close();
      forever.join(WAIT);
      assertThat(server.serveForever().exception()).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is closed");

      Server other = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      Promise<Void> serving = other.serveForever();
      serving.cancel();
      other.waitClosed().join(WAIT);
      assertThat(other.isServing()).isFalse();
      assertThat(other.sockets()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void closeClientsClosesConnectionsGracefully(Transport transport) {
    // asyncio 3.13 close_clients
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      Connection c = connect(t, server);
      c.writer().write("a\n", US_ASCII);
      assertThat(line(c)).isEqualTo("a\n");
      server.close();
      server.closeClients();
      server.waitClosed().join(WAIT);
      assertThat(c.reader().read(10).join(WAIT)).isEmpty();
      c.writer().close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void abortClientsResetsConnectionsWhosePeerDoesNotRead(Transport transport) {
    // asyncio test_abort_clients: the server's write buffer is non-empty and the client never reads
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = startStuckServer(t);
      Connection c = connect(t, server);
      stuck.join(WAIT);
      assertThat(server.connectionCount()).isEqualTo(1);
      server.close();
      server.abortClients();
      server.waitClosed().join(WAIT);
      assertThat(server.connectionCount()).isZero();
      // A reset, not a graceful close: reading what arrived ends in ConnectionResetException,
      // where closeClients() would end it with EOF.
      Throwable end = Echo.readAll(c.reader(), new ByteArrayOutputStream()).handle((bytes, e) -> e).join(WAIT);
      assertThat(end).as("how the client's read of everything ended").isInstanceOf(ConnectionResetException.class);
      c.writer().close();
    }
  }

  private CompletablePromise<Void> stuck;

  /**
   * Starts a server whose handlers write until their drain has to wait (the client never reads;
   * its reader pauses at 2 x limit), then wait on that drain; {@link #stuck} completes then.
   */
  private Server startStuckServer(TestLoop t) {
    stuck = t.loop().newPromise();
    byte[] chunk = new byte[64 * 1024];
    return t.run(() -> Streams.startServer((reader, writer) -> fill(writer, chunk, stuck), "127.0.0.1", 0));
  }

  /** Writes until a drain has to wait (the peer does not read), then waits on that drain. */
  private static Promise<Void> fill(StreamWriter writer, byte[] chunk, CompletablePromise<Void> buffered) {
    writer.write(chunk);
    Promise<Void> drained = writer.drain();
    if (!drained.isDone()) {
      buffered.complete(null);
      // The test aborts the connection: this drain then fails, which is expected, not an error.
      return drained.handle((x, e) -> null);
    }
    return drained.thenCompose(x -> fill(writer, chunk, buffered));
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void shutdownAbortsConnectionsStillOpenAfterTheGracePeriod(Transport transport) {
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = startStuckServer(t);
      Connection c = connect(t, server);
      stuck.join(WAIT);
      long start = System.nanoTime();
      Promise<Void> shutdown = server.shutdown(Duration.ofMillis(300));
      assertThat(server.shutdown(Duration.ofMillis(1))).isSameAs(shutdown);
      shutdown.join(WAIT);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
      assertThat(shutdown.isSuccess()).isTrue();
      assertThat(server.connectionCount()).isZero();
      c.writer().close();
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aResetWhileAReadWaitsFailsTheReadWithConnectionReset(Transport transport) {
    // Fault F1 (docs/faults.md): the server resets (SO_LINGER 0) while the client is blocked in readExactly
    try (TestLoop t = TestLoop.create(transport)) {
      CompletablePromise<Void> started = t.loop().newPromise();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        started.complete(null);
        return reader.read(-1).thenApply(x -> null);
      }, "127.0.0.1", 0));
      Connection c = connect(t, server);
      Promise<byte[]> waiting = c.reader().readExactly(10);
      started.join(WAIT);
      server.abortClients();
      Throwable error = waiting.handle((v, e) -> e).join(WAIT);
      assertThat(error).isInstanceOf(ConnectionResetException.class).hasCauseInstanceOf(java.io.IOException.class);
      assertThat(c.writer().waitClosed().handle((v, e) -> e).join(WAIT)).isInstanceOf(ConnectionResetException.class);
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void connectionsAreSpreadOverTheLoopThreadsAndHandlersRunOnTheirChannelsThread(Transport transport) {
    try (TestLoop t = TestLoop.create(transport, 2)) {
      Set<String> threads = ConcurrentHashMap.newKeySet();
      AtomicInteger offThread = new AtomicInteger();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        threads.add(Thread.currentThread().getName());
        if (!writer.channel().eventLoop().inEventLoop()) {
          offThread.incrementAndGet();
        }
        return Echo.echo(reader, writer);
      }, "127.0.0.1", 0));
      List<Connection> clients = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Connection c = connect(t, server);
        c.writer().write("hi\n", US_ASCII);
        assertThat(line(c)).isEqualTo("hi\n");
        clients.add(c);
      }
      assertThat(threads).hasSize(2);
      assertThat(offThread).hasValue(0);
      clients.forEach(c -> c.writer().close());
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void manyConcurrentClientsEachGetTheirOwnBytesBack(Transport transport) {
    // asyncio / Netty SocketEchoTest: random payloads in random chunks of up to 64 KiB
    int clients = 40;
    try (TestLoop t = TestLoop.create(transport, 2)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      List<Promise<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        byte[] payload = new byte[(i == 0 ? 1 << 20 : 64 * 1024) + i];
        Random random = new Random(i);
        random.nextBytes(payload);
        results.add(t.loop().submit(() -> Streams.openConnection("127.0.0.1", server.port())
            .thenCompose(c -> {
              Promise<byte[]> echoed = Echo.readAll(c.reader(), new ByteArrayOutputStream());
              return sendInChunks(c.writer(), payload, 0, random)
                  .thenCompose(x -> echoed)
                  .thenApply(back -> {
                    c.writer().close();
                    return java.util.Arrays.equals(back, payload);
                  });
            })));
      }
      for (Promise<Boolean> r : results) {
        assertThat(r.join(Duration.ofSeconds(30))).isTrue();
      }
      server.shutdown(WAIT).join(WAIT);
    }
  }

  private static Promise<Void> sendInChunks(StreamWriter writer, byte[] payload, int from, Random random) {
    if (from >= payload.length) {
      writer.writeEof();
      return Promise.completed(null);
    }
    int n = Math.min(payload.length - from, 1 + random.nextInt(64 * 1024));
    writer.write(java.util.Arrays.copyOfRange(payload, from, from + n));
    return writer.drain().thenCompose(x -> sendInChunks(writer, payload, from + n, random));
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void openConnectionToAClosedPortFailsWithConnectException(Transport transport) {
    // Fault F14
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0));
      int port = server.port();
      server.close();
      server.waitClosed().join(WAIT);
      Throwable error = t.run(() -> Streams.openConnection("127.0.0.1", port).handle((c, e) -> e));
      // epoll: refused. NIO: the JDK closes a selector-registered listener's socket only at the
      // next select, so a connect right after close() may be reset instead of refused.
      assertThat(error).isInstanceOf(t.transport() == Transport.NIO ? java.net.SocketException.class
          : ConnectException.class);
    }
  }

  @Test
  void startServerAndOpenConnectionOffTheLoopThrow() {
    // the core package documentation, "Threads"
    assertThatThrownBy(() -> Streams.startServer(Echo::echo, "127.0.0.1", 0))
        .isInstanceOf(IllegalStateException.class).hasMessage("no running event loop");
    assertThatThrownBy(() -> Streams.openConnection("127.0.0.1", 1))
        .isInstanceOf(IllegalStateException.class).hasMessage("no running event loop");
  }
}
