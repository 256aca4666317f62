package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.ConnectionResetException;
import dev.aionet.streams.TestLoop;
import dev.aionet.streams.UnexpectedMessageException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stream adapter as a plain Netty handler, on an {@link EmbeddedChannel} driven from a loop
 * thread (the reader's promises belong to that thread): autoRead, EOF, errors.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamAdapterTest {

  private static void onLoop(TestLoop t, Callable<Void> body) {
    t.run(() -> Promise.completed(body.call()));
  }

  private static ByteBuf bytes(String s) {
    return Unpooled.copiedBuffer(s, US_ASCII);
  }

  @Test
  void autoReadGoesOffAboveTwiceTheLimitAndBackOnAtTheLimit() {
    // asyncio: pause_reading when > 2*limit, resume_reading when <= limit
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 8);
        ch.writeInbound(bytes("x".repeat(16)));
        assertThat(ch.config().isAutoRead()).as("16 bytes = 2 x limit").isTrue();
        ch.writeInbound(bytes("x"));
        assertThat(ch.config().isAutoRead()).isFalse();
        adapter.reader().read(8);
        assertThat(ch.config().isAutoRead()).as("9 bytes left").isFalse();
        adapter.reader().read(1);
        assertThat(ch.config().isAutoRead()).isTrue();
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return null;
      });
    }
  }

  @Test
  void aReadThatMustWaitTurnsReadingBackOn() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 8);
        ch.writeInbound(bytes("y".repeat(20)));
        assertThat(ch.config().isAutoRead()).isFalse();
        Promise<byte[]> exactly = adapter.reader().readExactly(30);
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.writeInbound(bytes("y".repeat(10)));
        assertThat(exactly.result()).hasSize(30);
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return null;
      });
    }
  }

  @Test
  void thePeersFinIsEofAfterTheBufferedBytes() {
    // Fault F2 (docs/faults.md): all data is read before the input-shutdown event, then EOF
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
        Promise<byte[]> all = adapter.reader().read(-1);
        ch.writeInbound(bytes("last words"));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(new String(all.result(), US_ASCII)).isEqualTo("last words");
        assertThat(adapter.reader().atEof()).isTrue();
        assertThat(ch.isOpen()).as("half-closed, still writable").isTrue();
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return null;
      });
    }
  }

  @Test
  void anIoErrorFailsPendingAndLaterReadsAndDrainWithConnectionReset() {
    // asyncio: connection_lost(exc) reaches the reader and the writer; nothing is logged
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
        ch.writeInbound(bytes("unread"));
        Promise<byte[]> line = adapter.reader().readLine();
        IOException reset = new IOException("Connection reset by peer");
        ch.pipeline().fireExceptionCaught(reset);
        assertThat(line.exception()).isInstanceOf(ConnectionResetException.class).hasCause(reset);
        assertThat(adapter.reader().read(3).exception()).isInstanceOf(ConnectionResetException.class);
        assertThat(ch.isOpen()).isFalse();
        Promise<Void> drained = adapter.writer().drain();
        assertThat(drained.exception()).isInstanceOf(ConnectionResetException.class);
        assertThat(adapter.writer().waitClosed().exception()).isInstanceOf(ConnectionResetException.class)
            .hasCause(reset);
        adapter.writer().close();
        ch.finishAndReleaseAll();
        return null;
      });
      assertThat(t.errors()).isEmpty();
    }
  }

  @Test
  void aNonIoErrorFromAUserHandlerIsAlsoReportedToTheLoop() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      IllegalStateException bug = new IllegalStateException("codec bug");
      t.expect(e -> e.exception() == bug);
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
        ch.pipeline().fireExceptionCaught(bug);
        assertThat(adapter.reader().read(1).exception()).isInstanceOf(ConnectionResetException.class)
            .hasCause(bug);
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
        return null;
      });
      assertThat(t.errors()).singleElement().satisfies(e -> {
        assertThat(e.exception()).isSameAs(bug);
        assertThat(e.channel()).isPresent();
      });
    }
  }

  @Test
  void closingTheChannelGivesEofAndFailsWaitingDrains() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
        Promise<byte[]> read = adapter.reader().read(10);
        ch.close();
        assertThat(read.result()).isEmpty();
        assertThat(adapter.writer().isClosing()).isTrue();
        assertThat(adapter.writer().drain().exception()).isInstanceOf(ConnectionResetException.class)
            .hasMessage("Connection lost");
        assertThat(adapter.writer().waitClosed().isSuccess()).as("closed without an error").isTrue();
        ch.finishAndReleaseAll();
        return null;
      });
    }
  }

  @Test
  void aMessageThatIsNotBytesFailsTheReaderWithUnexpectedMessageAndClosesTheChannel() {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.expect(e -> e.exception() instanceof UnexpectedMessageException);
      onLoop(t, () -> {
        EmbeddedChannel ch = new EmbeddedChannel();
        StreamAdapter adapter = StreamAdapter.install(ch, LoopThread.require(), 1024);
        Promise<byte[]> waiting = adapter.reader().readLine();
        ch.writeInbound("a decoded message");
        assertThat((Object) ch.readInbound()).as("not passed on").isNull();
        assertThat(waiting.exception()).isInstanceOf(UnexpectedMessageException.class)
            .hasMessageContaining("java.lang.String").hasMessageContaining("Messages");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
        return null;
      });
      assertThat(t.errors()).hasSize(1);
    }
  }
}
