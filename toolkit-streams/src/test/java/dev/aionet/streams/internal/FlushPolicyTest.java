package dev.aionet.streams.internal;

import static dev.aionet.streams.internal.WriterTesting.drainOutbound;
import static dev.aionet.streams.internal.WriterTesting.nextTurn;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.TestLoop;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When written bytes are flushed: at the end of the read burst they were written in when Netty's
 * read loop is sure to end it with {@code channelReadComplete}, else on the loop's next turn, and
 * never not at all.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlushPolicyTest {

  /** Counts flush() calls going out of the pipeline. */
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int flushes;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes++;
      ctx.flush();
    }
  }

  /** A handler that never passes channelReadComplete on. */
  private static final class SwallowsReadComplete extends ChannelInboundHandlerAdapter {
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {}
  }

  /** An echo of one line on an embedded channel, the adapter first in its pipeline. */
  private static final class LineEcho {
    final FlushCounter counter = new FlushCounter();
    final EmbeddedChannel ch = new EmbeddedChannel();
    final StreamAdapter adapter;

    LineEcho() {
      adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
      ch.pipeline().addLast(counter); // behind the adapter: writes pass it, the adapter stays first
      adapter.reader().readLine().thenAccept(adapter.writer()::write);
    }

    Void finish() {
      adapter.writer().close();
      ch.finishAndReleaseAll();
      return null;
    }
  }

  /**
   * Runs {@code body} as a plain Netty task on the loop thread, outside every aionet callback,
   * where Netty's read loop runs.
   */
  private static <T> Promise<T> asNettyTask(Supplier<T> body) {
    CompletablePromise<T> done = CompletablePromise.create();
    LoopThread.require().executor().execute(() -> done.complete(body.get()));
    return done;
  }

  @Test
  void aWriteMadeDuringAReadBurstQueuesNoTurnCallbackAndLeavesAtReadComplete() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        LineEcho echo = new LineEcho();
        return asNettyTask(() -> {
          LoopThread loop = LoopThread.require();
          int readyBefore = loop.readyCount();
          echo.ch.pipeline().fireChannelRead(Unpooled.copiedBuffer("ping\n", US_ASCII));
          int readyAfterWrite = loop.readyCount();
          assertThat(echo.counter.flushes).as("nothing flushed before the burst ends").isZero();
          echo.ch.pipeline().fireChannelReadComplete();
          assertThat(readyAfterWrite).as("the reply queued no turn callback").isEqualTo(readyBefore);
          assertThat(echo.counter.flushes).isEqualTo(1);
          assertThat(drainOutbound(echo.ch)).isEqualTo("ping\n");
          return echo;
        }).thenCompose(e -> nextTurn().thenApply(x -> {
          assertThat(e.counter.flushes).as("no second flush for the same bytes").isEqualTo(1);
          return e.finish();
        }));
      });
    }
  }

  @Test
  void aReadFiredFromALoopCallbackWithoutReadCompleteIsStillFlushedOnTheNextTurn() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        LineEcho echo = new LineEcho(); // this task step is an aionet callback, not Netty's read loop
        echo.ch.pipeline().fireChannelRead(Unpooled.copiedBuffer("ping\n", US_ASCII));
        assertThat(echo.counter.flushes).isZero();
        return nextTurn().thenApply(x -> {
          assertThat(echo.counter.flushes).isEqualTo(1);
          assertThat(drainOutbound(echo.ch)).isEqualTo("ping\n");
          return echo.finish();
        });
      });
    }
  }

  @Test
  void aWriteMadeAfterAHandlerWasAddedInFrontMidBurstLeavesOnTheNextTurn() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
        ch.pipeline().addLast(counter);
        adapter.reader().readLine().thenAccept(line -> {
          // as startTls: a handler goes in front of the adapter in the middle of the burst
          ch.pipeline().addFirst(new SwallowsReadComplete());
          adapter.writer().write(line);
        });
        return asNettyTask(() -> {
          ch.pipeline().fireChannelRead(Unpooled.copiedBuffer("ping\n", US_ASCII));
          ch.pipeline().fireChannelReadComplete(); // swallowed in front
          assertThat(counter.flushes).isZero();
          return null;
        }).thenCompose(x -> nextTurn()).thenApply(x -> {
          assertThat(counter.flushes).isEqualTo(1);
          assertThat(drainOutbound(ch)).isEqualTo("ping\n");
          adapter.writer().close();
          ch.finishAndReleaseAll();
          return null;
        });
      });
    }
  }

  @Test
  void writesMadeBeforeAHandlerWasAddedInFrontMidBurstLeaveOnTheNextTurn() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        LineEcho echo = new LineEcho();
        return asNettyTask(() -> {
          echo.ch.pipeline().fireChannelRead(Unpooled.copiedBuffer("ping\n", US_ASCII)); // reply written
          echo.ch.pipeline().addFirst(new SwallowsReadComplete());
          echo.adapter.writer().handlerAddedInFront(); // what the TLS upgrade does after adding its handler
          echo.ch.pipeline().fireChannelReadComplete(); // swallowed in front
          assertThat(echo.counter.flushes).isZero();
          return echo;
        }).thenCompose(e -> nextTurn().thenApply(x -> {
          assertThat(e.counter.flushes).isEqualTo(1);
          assertThat(drainOutbound(e.ch)).isEqualTo("ping\n");
          return e.finish();
        }));
      });
    }
  }
}
