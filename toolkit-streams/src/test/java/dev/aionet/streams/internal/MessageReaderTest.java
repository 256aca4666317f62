package dev.aionet.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.LoopError;
import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.ConnectionResetException;
import dev.aionet.streams.TestLoop;
import dev.aionet.streams.UnexpectedMessageException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The message reader's queue, fed directly through its adapter on an embedded channel. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageReaderTest {

  /** An adapter for Strings at the end of an embedded channel, on the running loop thread. */
  private static MessageAdapter<String> strings(EmbeddedChannel ch, int messageLimit) {
    return MessageAdapter.install(ch, LoopThread.require(), String.class, messageLimit);
  }

  /** Cancels {@code p} from another thread and waits for it: the reader hears of it on a later task. */
  private static void cancelFromAnotherThread(Promise<?> p) throws InterruptedException {
    Thread other = new Thread(p::cancel, "canceller");
    other.start();
    other.join();
  }

  @Test
  void aReadCancelledJustAsItsMessageArrivesLeavesTheMessageFirstInTheQueue() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        MessageAdapter<String> adapter = strings(ch, 8);
        Promise<String> first = adapter.reader().read();
        cancelFromAnotherThread(first); // settled now; the reader still counts it as waiting
        ch.pipeline().fireChannelRead("one");
        ch.pipeline().fireChannelRead("two");
        assertThat(first.isCancelled()).isTrue();
        assertThat(adapter.reader().queued()).as("the message the cancelled read could not take stayed").isEqualTo(2);
        Promise<String> next = adapter.reader().read();
        assertThat(next.result()).isEqualTo("one");
        assertThat(adapter.reader().read().result()).isEqualTo("two");
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }

  @Test
  void aCancelledWaitingReadStopsWaitingAndTheNextReadGetsTheMessage() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        MessageAdapter<String> adapter = strings(ch, 8);
        Promise<String> waiting = adapter.reader().read();
        waiting.cancel();
        ch.pipeline().fireChannelRead("kept");
        assertThat(adapter.reader().read().result()).isEqualTo("kept");
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }

  @Test
  void aSecondReadWhileOneWaitsFailsWithIllegalState() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        MessageAdapter<String> adapter = strings(ch, 8);
        Promise<String> first = adapter.reader().read();
        Promise<String> second = adapter.reader().read();
        assertThat(second.isFailed()).isTrue();
        assertThatThrownBy(second::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("pending");
        ch.pipeline().fireChannelRead("for the first");
        assertThat(first.result()).isEqualTo("for the first");
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }

  @Test
  void readingPausesAtTheMessageLimitAndResumesAtHalfOfIt() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        MessageAdapter<String> adapter = strings(ch, 4);
        for (int i = 0; i < 3; i++) {
          ch.pipeline().fireChannelRead("m" + i);
        }
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.pipeline().fireChannelRead("m3");
        assertThat(ch.config().isAutoRead()).as("paused at 4 queued").isFalse();
        ch.pipeline().fireChannelRead("m4"); // a decoder may overshoot within one read
        assertThat(adapter.reader().queued()).isEqualTo(5);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          got.add(adapter.reader().read().result());
        }
        assertThat(ch.config().isAutoRead()).as("3 queued: still paused").isFalse();
        got.add(adapter.reader().read().result());
        assertThat(ch.config().isAutoRead()).as("2 queued, half the limit: reading again").isTrue();
        assertThat(got).containsExactly("m0", "m1", "m2");
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }

  @Test
  void atEofReadsReturnNullOnceTheQueueIsEmpty() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        MessageAdapter<String> adapter = strings(ch, 8);
        ch.pipeline().fireChannelRead("last");
        ch.pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        assertThat(adapter.reader().atEof()).isFalse();
        assertThat(adapter.reader().read().result()).isEqualTo("last");
        assertThat(adapter.reader().read().result()).isNull();
        assertThat(adapter.reader().atEof()).isTrue();
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }

  @Test
  void closingTheWriterReleasesEveryQueuedMessage() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        MessageAdapter<ByteBuf> adapter = MessageAdapter.install(ch, LoopThread.require(), ByteBuf.class, 8);
        ByteBuf a = Unpooled.buffer().writeInt(1);
        ByteBuf b = Unpooled.buffer().writeInt(2);
        ch.pipeline().fireChannelRead(a);
        ch.pipeline().fireChannelRead(b);
        adapter.writer().close();
        assertThat(a.refCnt()).isZero();
        assertThat(b.refCnt()).isZero();
        assertThat(adapter.reader().read().result()).as("closed: EOF").isNull();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }

  @Test
  void aMessageOfAnotherTypeIsReleasedFailsTheReadsAndIsReportedOnce() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.expect(e -> e.exception() instanceof UnexpectedMessageException);
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        MessageAdapter<String> adapter = strings(ch, 8);
        Promise<String> waiting = adapter.reader().read();
        ByteBuf wrongType = Unpooled.buffer().writeInt(42);
        ch.pipeline().fireChannelRead(wrongType);
        ch.pipeline().fireChannelRead(Unpooled.buffer().writeInt(43)); // after the failure: released too
        assertThat(wrongType.refCnt()).isZero();
        assertThatThrownBy(waiting::result).isInstanceOf(UnexpectedMessageException.class)
            .hasMessageContaining("ByteBuf").hasMessageContaining("java.lang.String");
        assertThat(((UnexpectedMessageException) adapter.reader().exception()).messageType())
            .isAssignableTo(ByteBuf.class);
        assertThat(adapter.reader().read().isFailed()).as("later reads fail too").isTrue();
        assertThat(ch.isOpen()).as("the connection is closed").isFalse();
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
      assertThat(t.errors()).hasSize(1);
      LoopError report = t.errors().get(0);
      assertThat(report.channel()).isPresent();
    }
  }

  @Test
  void aDecoderFailureFailsTheReadsWithTheDecodersException() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.expect(e -> e.exception() instanceof TooLongFrameException);
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel(new io.netty.handler.codec.LineBasedFrameDecoder(4, true, true),
            new io.netty.handler.codec.string.StringDecoder());
        MessageAdapter<String> adapter = strings(ch, 8);
        Promise<String> waiting = adapter.reader().read();
        ch.writeInbound(Unpooled.copiedBuffer("far too long\n", java.nio.charset.StandardCharsets.US_ASCII));
        assertThatThrownBy(waiting::result).isInstanceOf(TooLongFrameException.class);
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
      assertThat(t.errors()).hasSize(1);
    }
  }

  @Test
  void aLostConnectionFailsTheReadsWithConnectionReset() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        MessageAdapter<String> adapter = strings(ch, 8);
        Promise<String> waiting = adapter.reader().read();
        ch.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
        assertThat(waiting.exception()).isInstanceOf(ConnectionResetException.class);
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return Promise.completed(null);
      });
    }
  }
}
