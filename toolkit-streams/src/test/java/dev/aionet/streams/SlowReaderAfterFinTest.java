package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.streams.internal.BufferProbe;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a slow handler's reader holds after the peer's FIN. A peer writes 8 MiB and shuts down its
 * output while the server's handler stalls, so the FIN arrives with megabytes in the kernel's
 * receive buffer (4 MiB of SO_RCVBUF: loopback's autotuning alone stays small). Every byte still
 * arrives, in order, then EOF. On NIO the reader holds no more than its bound (twice the limit,
 * plus the socket read that crossed it). On epoll, Netty reads everything the kernel holds once
 * the FIN has come, whatever {@code autoRead} says, so the reader may also hold the socket's
 * receive buffer (the kernel's 2 x SO_RCVBUF) on top of the bound: the documented figure.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowReaderAfterFinTest {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SlowReaderAfterFinTest.class);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int LIMIT = 64 * 1024;
  private static final int SENT = 8 << 20;
  /** Read at once, before the stall. */
  private static final int FAST = 2 << 20;
  private static final Duration STALL = Duration.ofSeconds(1);
  /** The server socket's SO_RCVBUF: the kernel doubles it (bookkeeping), and loopback fills nearly all of it. */
  private static final int RECEIVE_BUFFER = 4 << 20;
  /** Netty's adaptive receive buffer never grows past 64 KiB: one socket read may cross the bound. */
  private static final int ONE_SOCKET_READ = 64 * 1024;

  /** What the handler read: the byte count and the CRC-32 of the bytes in the order they came. */
  private record Received(long bytes, long crc) {}

  /**
   * Reads 16 KiB at a time until EOF: the first {@link #FAST} bytes at once (the kernel's receive
   * window grows to megabytes), then it stalls for a second (the peer's remaining bytes and its
   * FIN fill the window meanwhile), then it naps 1 ms after each read.
   */
  private static Promise<Received> readSlowly(StreamReader reader, CRC32 crc, long bytes) {
    return reader.read(16 * 1024).thenCompose(data -> {
      if (data.length == 0) {
        return Promise.completed(new Received(bytes, crc.getValue()));
      }
      crc.update(data);
      long now = bytes + data.length;
      Duration nap = now < FAST ? Duration.ZERO : now - data.length < FAST ? STALL : Duration.ofMillis(1);
      return Aio.sleep(nap).thenCompose(x -> readSlowly(reader, crc, now));
    });
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aSlowReaderGetsEveryByteInOrderThenEofHoldingNoMoreThanTheDocumentedFigureAfterTheFin(Transport transport)
      throws Exception {
    byte[] sent = new byte[SENT];
    new Random(6).nextBytes(sent);
    CRC32 sentCrc = new CRC32();
    sentCrc.update(sent);
    AtomicReference<BufferProbe> probe = new AtomicReference<>();
    CompletableFuture<Received> received = new CompletableFuture<>();
    try (TestLoop t = TestLoop.create(transport)) {
      ServerOptions options = ServerOptions.builder().limit(LIMIT).pipeline(p -> {
        // a receive buffer of megabytes (loopback's autotuning stays small): room for the peer's rest and its FIN
        p.channel().config().setOption(io.netty.channel.ChannelOption.SO_RCVBUF, RECEIVE_BUFFER);
        probe.set(new BufferProbe());
        p.addLast(probe.get());
      }).build();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> readSlowly(reader, new CRC32(), 0)
          .thenAccept(received::complete).thenApply(r -> null), "127.0.0.1", 0, options));
      try (Socket client = new Socket()) {
        client.connect(new InetSocketAddress("127.0.0.1", server.port()));
        client.getOutputStream().write(sent); // returns once the kernels took it all (during the stall)
        client.shutdownOutput(); // the FIN, behind megabytes the server has not read yet
        Received r = InboundRecorder.await(received, WAIT);
        assertThat(r.bytes()).as("every byte, then EOF").isEqualTo(SENT);
        assertThat(r.crc()).as("in order").isEqualTo(sentCrc.getValue());
        assertThat(client.getInputStream().read()).as("the server closed after its handler").isEqualTo(-1);
      }
      server.close();
      server.waitClosed().join(WAIT);
    }
    int held = probe.get().max();
    log.info("{}: {} bytes then FIN to a slow reader with limit {}: it held at most {} bytes", transport, SENT,
        LIMIT, held);
    int bound = 2 * LIMIT + ONE_SOCKET_READ + (transport == Transport.EPOLL ? 2 * RECEIVE_BUFFER : 0);
    assertThat(held).as("the most the reader held").isGreaterThan(LIMIT).isLessThanOrEqualTo(bound);
  }
}
