package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault F16 (docs/faults.md): a TLS peer that ends its TCP stream in the middle of a record, without
 * {@code close_notify}. The reader gets the bytes of every complete record, then fails with
 * {@link ConnectionResetException} caused by an {@link SSLException}: a clean EOF would hide the
 * truncation. A FIN at a record boundary, without {@code close_notify}, stays EOF, as in asyncio
 * (CPython 3.11-3.13's SSL transport reports EOF in both cases, silently dropping a partial
 * record). The peer is the JDK's SSLEngine driven by hand, both ways.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTruncationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int SENT = 100_000;
  /** The plain bytes of the last record, the one the FIN cuts short. */
  private static final int LAST_RECORD = 1000;
  @RegisterExtension
  static final SelfSignedTls TLS = new SelfSignedTls();

  private static byte[] data() {
    byte[] data = new byte[SENT];
    new Random(21).nextBytes(data);
    return data;
  }

  /**
   * Sends {@code data} as TLS records; with {@code truncate}, the last {@link #LAST_RECORD} bytes
   * go in a record of their own that loses its last 10 bytes. Then a FIN, no close_notify; then
   * waits for the other end to close.
   */
  private static void sendThenFin(RawTlsPeer peer, byte[] data, boolean truncate) throws Exception {
    int whole = truncate ? data.length - LAST_RECORD : data.length;
    peer.send(peer.records(Arrays.copyOf(data, whole)));
    if (truncate) {
      byte[] last = peer.records(Arrays.copyOfRange(data, whole, data.length));
      peer.send(Arrays.copyOf(last, last.length - 10));
    }
    peer.shutdownOutput();
    peer.discardToEof();
  }

  /**
   * What a reader's reads give after a truncation: readExactly of one byte more than the complete
   * records held fails and consumes nothing; readExactly of what they held succeeds; the next
   * read fails again.
   */
  private static Promise<List<Object>> readAfterTruncation(StreamReader reader, int complete) {
    return reader.readExactly(complete + 1).<Object>handle((v, e) -> e != null ? e : "readExactly succeeded")
        .thenCompose(first -> reader.readExactly(complete).thenCompose(bytes ->
            reader.read(1).handle((v, e) -> List.<Object>of(first, bytes, e != null ? e : "read(1) succeeded"))));
  }

  private static void assertTruncated(Object failure) {
    assertThat(failure).isInstanceOf(ConnectionResetException.class);
    assertThat(((Throwable) failure).getCause()).isInstanceOf(SSLException.class)
        .hasMessageContaining("truncated");
  }

  private static void assertDataThenError(List<Object> outcome, byte[] data) {
    assertTruncated(outcome.get(0));
    assertThat((byte[]) outcome.get(1)).as("every complete record's bytes")
        .isEqualTo(Arrays.copyOf(data, data.length - LAST_RECORD));
    assertTruncated(outcome.get(2));
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aClientThatEndsMidRecordGivesTheServerEveryCompleteRecordThenAnError(Transport transport) throws Exception {
    byte[] data = data();
    CompletableFuture<List<Object>> outcome = new CompletableFuture<>();
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) ->
          readAfterTruncation(reader, SENT - LAST_RECORD).thenAccept(outcome::complete).thenApply(x -> null),
          "127.0.0.1", 0, ServerOptions.builder().ssl(TLS.serverContext()).build()));
      try (RawTlsPeer client = RawTlsPeer.connect(server.port(), TLS.cert())) {
        client.handshake();
        sendThenFin(client, data, true); // the server closes the broken connection
      }
      assertDataThenError(InboundRecorder.await(outcome, WAIT), data);
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aServerThatEndsMidRecordGivesTheClientEveryCompleteRecordThenAnError(Transport transport) throws Exception {
    byte[] data = data();
    try (TestLoop t = TestLoop.create(transport);
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (RawTlsPeer server = RawTlsPeer.accept(listener, TLS.cert())) {
          server.handshake();
          sendThenFin(server, data, true);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", listener.getLocalPort(),
          ClientOptions.builder().ssl(TLS.clientContext()).serverHostname("localhost").build()));
      assertDataThenError(readAfterTruncation(c.reader(), SENT - LAST_RECORD).join(WAIT), data);
      InboundRecorder.await(served, WAIT);
      c.writer().close();
      c.writer().waitClosed().handle((v, e) -> null).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aFinAtARecordBoundaryWithoutCloseNotifyIsEofAsInAsyncio(Transport transport) throws Exception {
    // asyncio (sslproto.py): eof_received() without close_notify skips unwrap() and reports EOF
    byte[] data = data();
    CompletableFuture<byte[]> all = new CompletableFuture<>();
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) ->
          reader.read(-1).thenAccept(all::complete).thenApply(x -> null),
          "127.0.0.1", 0, ServerOptions.builder().ssl(TLS.serverContext()).build()));
      try (RawTlsPeer client = RawTlsPeer.connect(server.port(), TLS.cert())) {
        client.handshake();
        sendThenFin(client, data, false); // the server's handler ends at EOF and closes
      }
      assertThat(InboundRecorder.await(all, WAIT)).isEqualTo(data);
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
