package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.test.TestLoop;
import dev.aionet.test.TestLoopOptions;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's timeouts (idle, read, a per-request deadline against a slowloris; the TLS
 * handshake timeout is in TlsTest)
 * and Netty's IdleStateHandler in a user pipeline, on the test kit's virtual clock: minutes of
 * timeouts in milliseconds, each firing exactly at its deadline, over real loopback sockets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualTimeTimeoutsTest {
  /**
   * Both ends of every connection run on the test loop, so almost no I/O can be on its way while
   * the loop is idle. A short I/O grace all the same, not zero: on a loaded machine a loopback
   * write is not always readable at once, and a jump of the clock then would pass the peer's next
   * byte by (the slowloris test saw its idle timeout fire that way).
   */
  private static final TestLoopOptions BOTH_ENDS_ON_THE_LOOP = TestLoopOptions.builder().ioGrace(Duration.ofMillis(100)).build();

  /** What the server's handler saw when its read ended, and the loop time then. */
  private static final class Outcome {
    final AtomicReference<Throwable> error = new AtomicReference<>();
    volatile double at = -1;

    Promise<Void> record(Promise<?> read) {
      return read.handle((v, e) -> {
        error.set(e);
        at = Loop.current().time();
        return null;
      });
    }
  }

  /** Reads until the server closes the connection; the bytes read. */
  private static byte[] readToEof(TestLoop t, Connection c) {
    return t.run(() -> c.reader().read(-1).handle((data, e) -> data == null ? new byte[0] : data));
  }

  @Test
  void aReadTimeoutClosesASilentPeerAtExactlyItsDeadline() {
    try (TestLoop t = TestLoop.create(BOTH_ENDS_ON_THE_LOOP)) {
      Outcome outcome = new Outcome();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> outcome.record(reader.readLine()),
          "127.0.0.1", 0, ServerOptions.builder().readTimeout(Duration.ofMinutes(5)).build()));
      Connection silent = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      assertThat(readToEof(t, silent)).isEmpty();
      assertThat(outcome.error.get()).isInstanceOf(ConnectionResetException.class).hasMessageContaining("read timeout");
      assertThat(outcome.at).as("connected at 0, when no timer had moved the clock").isEqualTo(300.0);
      silent.writer().close();
      t.run(() -> server.shutdown(Duration.ofSeconds(5)));
    }
  }

  @Test
  void aReadTimeoutClosesAPeerThatOnlyListensWhileTheIdleTimeoutWouldNot() {
    try (TestLoop t = TestLoop.create(BOTH_ENDS_ON_THE_LOOP)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> tick(writer),
          "127.0.0.1", 0, ServerOptions.builder().readTimeout(Duration.ofMinutes(5))
              .idleTimeout(Duration.ofMinutes(30)).build()));
      Connection listener = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      byte[] all = readToEof(t, listener);
      assertThat(new String(all, US_ASCII)).as("a byte every 20 s until cut off at 5 min").isEqualTo(".".repeat(15));
      assertThat(t.time()).isEqualTo(300.0);
      listener.writer().close();
      t.run(() -> server.shutdown(Duration.ofSeconds(5)));
    }
  }

  /** Writes a byte now and every 20 s until the connection is gone. */
  private static Promise<Void> tick(StreamWriter writer) {
    if (writer.isClosing()) {
      return Promise.completed(null);
    }
    writer.write(new byte[] {'.'});
    return Aio.sleep(Duration.ofSeconds(20)).thenCompose(x -> tick(writer));
  }

  @Test
  void anIdleTimeoutClosesAConnectionAfterAnHourOfSilenceInMilliseconds() {
    try (TestLoop t = TestLoop.create(BOTH_ENDS_ON_THE_LOOP)) {
      Outcome outcome = new Outcome();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> outcome.record(reader.readLine()),
          "127.0.0.1", 0, ServerOptions.builder().idleTimeout(Duration.ofHours(1)).build()));
      Connection silent = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      long start = System.nanoTime();
      assertThat(readToEof(t, silent)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(outcome.error.get()).isInstanceOf(ConnectionResetException.class).hasMessageContaining("idle timeout");
      assertThat(outcome.at).isEqualTo(3600.0);
      silent.writer().close();
      t.run(() -> server.shutdown(Duration.ofSeconds(5)));
    }
  }

  @Test
  void aSlowlorisTrickleBeatsTheIdleTimeoutButNotAPerRequestDeadline() {
    // one byte every 10 s keeps a 30 s idle timeout happy forever; a 2 min deadline on the whole
    // request (Aio.timeout around the read; asyncio: async with timeout(120)) ends it at 120 s
    try (TestLoop t = TestLoop.create(BOTH_ENDS_ON_THE_LOOP)) {
      Outcome outcome = new Outcome();
      Server server = t.run(() -> Streams.startServer((reader, writer) ->
          outcome.record(Aio.timeout(Duration.ofMinutes(2), () -> reader.readLine())),
          "127.0.0.1", 0, ServerOptions.builder().idleTimeout(Duration.ofSeconds(30)).build()));
      Connection loris = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      Integer sent = t.run(() -> trickle(loris, 0));
      assertThat(outcome.error.get()).isInstanceOf(dev.aionet.core.AsyncTimeoutException.class);
      assertThat(outcome.at).isEqualTo(120.0);
      // bytes at 0, 10, ..., 120 s; the one at 130 s finds the connection the deadline closed
      assertThat(sent).isEqualTo(14);
      loris.writer().close();
      t.run(() -> server.shutdown(Duration.ofSeconds(5)));
    }
  }

  /** Sends one byte every 10 s until the server closes the connection; how many were sent. */
  private static Promise<Integer> trickle(Connection c, int sent) {
    c.writer().write(new byte[] {'x'});
    return c.writer().drain().handle((x, e) -> e != null || c.reader().atEof())
        .thenCompose(closed -> closed ? Promise.completed(sent + 1)
            : Aio.sleep(Duration.ofSeconds(10)).thenCompose(y -> trickle(c, sent + 1)));
  }

  @Test
  void nettysIdleStateHandlerInAUserPipelineFiresOnVirtualTime() {
    try (TestLoop t = TestLoop.create(BOTH_ENDS_ON_THE_LOOP)) {
      AtomicReference<Double> firedAt = new AtomicReference<>();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.read(-1).handle((v, e) -> null),
          "127.0.0.1", 0, ServerOptions.builder().pipeline(p -> p.addLast(
              new IdleStateHandler(0, 0, 45, TimeUnit.SECONDS),
              new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                  if (evt instanceof IdleStateEvent) {
                    firedAt.compareAndSet(null, Loop.current().time());
                    ctx.close();
                  } else {
                    ctx.fireUserEventTriggered(evt);
                  }
                }
              })).build()));
      Connection silent = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      assertThat(readToEof(t, silent)).isEmpty();
      assertThat(firedAt.get()).isEqualTo(45.0);
      silent.writer().close();
      t.run(() -> server.shutdown(Duration.ofSeconds(5)));
    }
  }
}
