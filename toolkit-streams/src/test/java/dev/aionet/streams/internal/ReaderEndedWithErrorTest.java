package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Promise;
import dev.aionet.core.Transport;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.TestLoop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reader whose input ended with an error after the bytes it holds (a TLS stream cut short
 * mid-record): what the buffer can serve is still read, a read that would need more or see EOF
 * fails with the error and consumes nothing, and the channel's later close does not turn the
 * error into EOF. Fed directly, on the loop thread.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReaderEndedWithErrorTest {
  private static final IllegalStateException CUT = new IllegalStateException("cut short");

  /** Runs {@code body} on a loop thread, where a reader lives. */
  private static void onLoop(Callable<Void> body) {
    try (TestLoop t = TestLoop.create(Transport.NIO)) {
      t.run(() -> Promise.completed(body.call()));
    }
  }

  private static StreamReaderImpl readerHolding(String data) {
    StreamReaderImpl r = new StreamReaderImpl(LoopThread.require(), 1 << 16, null);
    r.feedData(Unpooled.copiedBuffer(data, US_ASCII));
    return r;
  }

  private static String text(Promise<byte[]> p) {
    return new String(p.result(), US_ASCII);
  }

  @Test
  void readsTheBufferCanServeSucceedAndTheRestFailWithoutConsuming() {
    onLoop(() -> {
      StreamReaderImpl r = readerHolding("line one\nhalf a li");
      r.endWithError(CUT);
      assertThat(r.exception()).isSameAs(CUT);
      assertThat(text(r.readLine())).isEqualTo("line one\n");
      assertThat(r.readLine().exception()).as("a partial line is not a line").isSameAs(CUT);
      assertThat(r.readExactly(10).exception()).as("not IncompleteReadException: not EOF").isSameAs(CUT);
      assertThat(r.read(-1).exception()).as("read(-1) needs EOF").isSameAs(CUT);
      assertThat(r.atEof()).isFalse();
      assertThat(text(r.read(100))).as("nothing was consumed").isEqualTo("half a li");
      assertThat(r.read(1).exception()).as("the buffer is empty").isSameAs(CUT);
      return null;
    });
  }

  @Test
  void aWaitingReadTheBufferCannotServeFailsAtOnce() {
    onLoop(() -> {
      StreamReaderImpl r = readerHolding("abc");
      Promise<byte[]> four = r.readExactly(4);
      assertThat(four.isDone()).isFalse();
      r.endWithError(CUT);
      assertThat(four.exception()).isSameAs(CUT);
      assertThat(r.hasWaiter()).isFalse();
      assertThat(text(r.readExactly(3))).isEqualTo("abc");
      return null;
    });
  }

  @Test
  void theChannelsCloseAfterwardsKeepsTheBytesAndTheError() {
    onLoop(() -> {
      StreamReaderImpl r = readerHolding("kept");
      r.endWithError(CUT);
      r.connectionLost(); // the broken connection is closed next: not EOF
      assertThat(r.read(-1).exception()).isSameAs(CUT);
      ByteBuf rest = r.readBuf(10).result();
      assertThat(rest.toString(US_ASCII)).isEqualTo("kept");
      rest.release();
      assertThat(r.read(1).exception()).isSameAs(CUT);
      return null;
    });
  }

  @Test
  void withNothingBufferedEveryReadFailsAsAfterAnyError() {
    onLoop(() -> {
      StreamReaderImpl r = readerHolding("");
      r.endWithError(CUT);
      assertThat(r.read(1).exception()).isSameAs(CUT);
      r.release(); // the writer closed: reads still fail with the error
      assertThat(r.read(1).exception()).isSameAs(CUT);
      return null;
    });
  }
}
