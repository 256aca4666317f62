package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static dev.aionet.streams.internal.WriterTesting.drainOutbound;
import static dev.aionet.streams.internal.WriterTesting.nextTurn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Aio;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.ClientOptions;
import dev.aionet.streams.Connection;
import dev.aionet.streams.ConnectionResetException;
import dev.aionet.streams.Echo;
import dev.aionet.streams.Server;
import dev.aionet.streams.StreamWriter;
import dev.aionet.streams.Streams;
import dev.aionet.streams.TestLoop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The writer: coalesced flushes, drain, close, half-close, extra info. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamWriterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Counts flush() calls going out of the pipeline. */
  static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int flushes;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes++;
      ctx.flush();
    }
  }

  private static <T> T onLoop(TestLoop t, Callable<Promise<T>> body) {
    return t.run(body::call);
  }



  /** A writer on an embedded channel whose flushes are counted, behind {@code inFront}. */
  private record Counted(EmbeddedChannel ch, FlushCounter counter, StreamAdapter adapter) {
    static Counted create(ChannelHandler... inFront) {
      FlushCounter counter = new FlushCounter();
      EmbeddedChannel ch = new EmbeddedChannel(counter);
      ch.pipeline().addLast(inFront);
      return new Counted(ch, counter, StreamAdapter.install(ch, LoopThread.require(), 1024));
    }

    /** Closes the writer and releases what the channel still holds. */
    Void finish() {
      adapter.writer().close();
      ch.finishAndReleaseAll();
      return null;
    }
  }

  @Test
  void writesOfOneTurnAreFlushedOnceOnTheNextTurn() {
    // one flush per loop turn, never one syscall per write
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        Counted c = Counted.create();
        StreamWriterImpl writer = c.adapter().writer();
        writer.write("one ".getBytes(US_ASCII));
        writer.write("two ", US_ASCII);
        writer.writeLines(List.of("three ".getBytes(US_ASCII), "four".getBytes(US_ASCII)));
        assertThat(c.counter().flushes).isZero();
        assertThat(writer.writeBufferSize()).isEqualTo(18);
        return nextTurn().thenApply(x -> {
          assertThat(c.counter().flushes).isEqualTo(1);
          assertThat(drainOutbound(c.ch())).isEqualTo("one two three four");
          assertThat(writer.writeBufferSize()).isZero();
          return c.finish();
        });
      });
    }
  }

  @Test
  void aReplyWrittenWhileReadingLeavesWhenTheReadBurstEndsNotAtTheTurnsEnd() {
    // as a raw Netty echo flushes in channelReadComplete; the turn's flush finds nothing left
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        Counted c = Counted.create();
        StreamWriterImpl writer = c.adapter().writer();
        c.adapter().reader().readLine().thenAccept(writer::write);
        c.ch().writeInbound(Unpooled.copiedBuffer("ping\n", US_ASCII)); // channelRead + channelReadComplete
        assertThat(drainOutbound(c.ch())).isEqualTo("ping\n");
        assertThat(c.counter().flushes).isEqualTo(1);
        return nextTurn().thenApply(x -> {
          assertThat(c.counter().flushes).as("no second flush for the same bytes").isEqualTo(1);
          return c.finish();
        });
      });
    }
  }

  @Test
  void aReplyWrittenWhileReadingBehindAHandlerThatSwallowsReadCompleteLeavesOnTheNextTurn() {
    // the read-burst flush is only trusted when nothing stands in front of the adapter
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        Counted c = Counted.create(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelReadComplete(ChannelHandlerContext ctx) {
            // swallowed: the adapter never hears that the burst ended
          }
        });
        c.adapter().reader().readLine().thenAccept(c.adapter().writer()::write);
        c.ch().writeInbound(Unpooled.copiedBuffer("ping\n", US_ASCII));
        assertThat(c.counter().flushes).isZero();
        return nextTurn().thenApply(x -> {
          assertThat(c.counter().flushes).isEqualTo(1);
          assertThat(drainOutbound(c.ch())).isEqualTo("ping\n");
          return c.finish();
        });
      });
    }
  }

  @Test
  void closeFlushesWhatWasWrittenAndLaterWritesAreDroppedSilently() {
    // asyncio / docs/differences-from-asyncio.md #4
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
        StreamWriterImpl writer = adapter.writer();
        writer.write("before".getBytes(US_ASCII));
        assertThat(writer.isClosing()).isFalse();
        writer.close();
        assertThat(writer.isClosing()).isTrue();
        writer.close(); // twice is harmless
        assertThat(ch.isOpen()).isFalse();
        assertThat(drainOutbound(ch)).isEqualTo("before");
        writer.write("after".getBytes(US_ASCII));
        ByteBuf owned = Unpooled.copiedBuffer("owned", US_ASCII);
        writer.write(owned);
        assertThat(owned.refCnt()).as("released at once").isZero();
        assertThat(writer.drain().exception()).isInstanceOf(ConnectionResetException.class);
        assertThat(adapter.reader().read(10).result()).as("reading after close() is EOF").isEmpty();
        assertThat(ch.outboundMessages()).isEmpty();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }

  @Test
  void getExtraInfoGivesTheDefaultForUnknownKeysAndNullWithoutTls() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamWriterImpl writer = StreamAdapter.install(ch, LoopThread.require(), 1024).writer();
        assertThat(writer.getExtraInfo("socket")).isSameAs(ch);
        assertThat(writer.channel()).isSameAs(ch);
        assertThat(writer.getExtraInfo("sslcontext")).isNull();
        assertThat(writer.getExtraInfo("peercert", "none")).isEqualTo("none");
        assertThat(writer.getExtraInfo("no such key")).isNull();
        assertThat(writer.getExtraInfo("no such key", 42)).isEqualTo(42);
        writer.close();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }

  @Test
  void debugModeReportsAWriterThatOverrunsItsHighWaterMarkWithoutDrainOnce() {
    try (TestLoop t = TestLoop.debug(Transport.NIO)) {
      t.expect(e -> e.message().contains("without drain()"));
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        StreamWriterImpl writer = StreamAdapter.install(ch, LoopThread.require(), 1024).writer();
        return overrun(writer, ch, 2 * StreamWriterImpl.UNDRAINED_OVERRUNS_REPORTED).thenApply(x -> {
          writer.close();
          ch.finishAndReleaseAll();
          return null;
        });
      });
      assertThat(t.errors()).hasSize(1);
      assertThat(t.errors().get(0).channel()).isPresent();
    }
  }

  /** Writes past the high-water mark, lets the turn's flush empty it, {@code times} times. */
  private static Promise<Void> overrun(StreamWriterImpl writer, EmbeddedChannel ch, int times) {
    if (times == 0) {
      return Promise.completed(null);
    }
    writer.write(new byte[32]);
    return Aio.sleep(Duration.ZERO).thenCompose(x -> {
      ch.outboundMessages().forEach(m -> ((ByteBuf) m).release());
      ch.outboundMessages().clear();
      return overrun(writer, ch, times - 1);
    });
  }

  // ---------------------------------------------------------------- over sockets

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void everyConcurrentDrainerWakesWhenThePeerReadsAgain(Transport transport) {
    // asyncio test_multiple_drain (gh-74116): ten drainers all return
    try (TestLoop t = TestLoop.create(transport)) {
      CompletablePromise<List<Promise<Void>>> drainers = t.loop().newPromise();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> fillThenDrain(writer, drainers),
          "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port(),
          ClientOptions.builder().limit(1024).build()));
      List<Promise<Void>> waiting = drainers.join(WAIT);
      assertThat(waiting).hasSize(10).allMatch(p -> !p.isDone());
      byte[] all = t.run(() -> readToEof(c));
      assertThat(all.length).isPositive();
      for (Promise<Void> p : waiting) {
        p.join(WAIT);
      }
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  private static Promise<Void> fillThenDrain(StreamWriter writer, CompletablePromise<List<Promise<Void>>> out) {
    writer.write(new byte[64 * 1024]);
    Promise<Void> first = writer.drain();
    if (first.isDone()) {
      return first.thenCompose(x -> fillThenDrain(writer, out));
    }
    List<Promise<Void>> all = new ArrayList<>(List.of(first));
    for (int i = 1; i < 10; i++) {
      all.add(writer.drain());
    }
    out.complete(all);
    return awaitEach(all, 0);
  }

  private static Promise<Void> awaitEach(List<Promise<Void>> promises, int i) {
    return i == promises.size() ? Promise.completed(null)
        : promises.get(i).thenCompose(x -> awaitEach(promises, i + 1));
  }

  private static Promise<byte[]> readToEof(Connection c) {
    return Echo.readAll(c.reader(), new ByteArrayOutputStream());
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void drainFailsWithConnectionResetOnceThePeerIsGoneAndNeverSpins(Transport transport) {
    // asyncio test_drain_raises (bpo-25441): the server accepts and closes at once
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> Promise.completed(null),
          "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      AtomicInteger rounds = new AtomicInteger();
      Throwable error = t.run(() -> writeUntilFailure(c.writer(), rounds));
      assertThat(error).isInstanceOf(ConnectionResetException.class);
      assertThat(rounds.get()).isLessThan(1_000_000);
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  private static Promise<Throwable> writeUntilFailure(StreamWriter writer, AtomicInteger rounds) {
    rounds.incrementAndGet();
    writer.write("foo\n", US_ASCII);
    return writer.drain().handle((x, e) -> e).thenCompose(e ->
        e != null ? Promise.completed(e) : Aio.sleep(Duration.ofMillis(1)).thenCompose(y -> writeUntilFailure(writer, rounds)));
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void writeEofHalfClosesSoThePeerReadsEofAndCanStillReply(Transport transport) {
    // asyncio
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> reader.read(-1).thenCompose(question -> {
        writer.write(("you said: " + new String(question, US_ASCII)).getBytes(US_ASCII));
        return writer.drain();
      }), "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      assertThat(c.writer().canWriteEof()).isTrue();
      c.writer().write("question", US_ASCII);
      c.writer().writeEof();
      assertThatThrownBy(() -> c.writer().write("more", US_ASCII)).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("Cannot call write() after writeEof()");
      ByteBuf refused = Unpooled.copiedBuffer("refused", US_ASCII);
      assertThatThrownBy(() -> c.writer().write(refused)).isInstanceOf(IllegalStateException.class);
      assertThat(refused.refCnt()).isZero();
      assertThat(new String(t.run(() -> readToEof(c)), US_ASCII)).isEqualTo("you said: question");
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void getExtraInfoGivesAddressesMatchingThePeersView(Transport transport) {
    // asyncio
    try (TestLoop t = TestLoop.create(transport)) {
      AtomicReference<Object> serverPeer = new AtomicReference<>();
      AtomicReference<Object> serverSock = new AtomicReference<>();
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        serverPeer.set(writer.getExtraInfo("peername"));
        serverSock.set(writer.getExtraInfo("sockname"));
        return reader.read(-1).thenApply(x -> null);
      }, "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      c.writer().writeEof();
      t.run(() -> c.reader().read(-1));
      assertThat(c.writer().getExtraInfo("peername")).isEqualTo(serverSock.get())
          .isEqualTo(new InetSocketAddress("127.0.0.1", server.port()));
      assertThat(c.writer().getExtraInfo("sockname")).isEqualTo(serverPeer.get());
      c.writer().close();
      server.shutdown(WAIT).join(WAIT);
    }
  }

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void waitClosedCompletesAfterCloseEvenWithUnreadDataAndTheReaderIsAtEof(Transport transport) {
    // asyncio test_wait_closed_on_close_with_unread_data / test_eof_feed_when_closing_writer
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startServer((reader, writer) -> {
        writer.write("unread data\n", US_ASCII);
        return reader.read(-1).thenApply(x -> null);
      }, "127.0.0.1", 0));
      Connection c = t.run(() -> Streams.openConnection("127.0.0.1", server.port()));
      t.run(() -> c.reader().readExactly(1));
      c.writer().close();
      c.writer().waitClosed().join(WAIT);
      assertThat(c.reader().read(100).join(WAIT)).isEmpty();
      assertThat(c.reader().atEof()).isTrue();
      server.shutdown(WAIT).join(WAIT);
    }
  }
}
