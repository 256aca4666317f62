package dev.aionet.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.IncompleteReadException;
import dev.aionet.streams.LimitOverrunException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.EOFException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reader's buffer rules, fed directly as asyncio's test_streams.py does, with every
 * feed whole, split in two, and one byte at a time.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamReaderTest {
  private static final String DATA = "line1\nline2\nline3\n";
  private static Loop loop;

  /** How a test's feeds reach the reader (Okio's OneByteAtATimeSource idea). */
  enum Chunking {
    WHOLE, SPLIT, ONE_BYTE;

    void feed(StreamReaderImpl reader, String data) {
      byte[] bytes = data.getBytes(US_ASCII);
      int step = switch (this) {
        case WHOLE -> Math.max(bytes.length, 1);
        case SPLIT -> Math.max((bytes.length + 1) / 2, 1);
        case ONE_BYTE -> 1;
      };
      for (int i = 0; i < bytes.length; i += step) {
        reader.feedData(Unpooled.copiedBuffer(bytes, i, Math.min(step, bytes.length - i)));
      }
    }
  }

  /** Counts the reader's pause/resume requests (asyncio's mock transport). */
  static final class CountingFlow implements ReadFlow {
    int pauses;
    int resumes;

    @Override
    public void pauseReading() {
      pauses++;
    }

    @Override
    public void resumeReading() {
      resumes++;
    }
  }

  @BeforeAll
  static void startLoop() {
    loop = Loop.create();
  }

  @AfterAll
  static void closeLoop() {
    loop.close();
  }

  /** Runs {@code body} on the loop thread, where the reader lives. */
  private static void onLoop(Callable<Void> body) {
    loop.runUntilComplete(() -> Promise.completed(body.call()));
  }

  private static StreamReaderImpl reader(int limit) {
    return new StreamReaderImpl(LoopThread.require(), limit, null);
  }

  private static StreamReaderImpl reader() {
    return reader(1 << 16);
  }

  private static String text(Promise<byte[]> p) {
    return new String(p.result(), US_ASCII);
  }

  /** What is left in the buffer (ends the reader: feeds EOF and reads everything). */
  private static String rest(StreamReaderImpl r) {
    r.feedEof();
    return text(r.read(-1));
  }

  private static void feed(StreamReaderImpl r, String data) {
    Chunking.WHOLE.feed(r, data);
  }

  @Test
  void limitMustBePositive() {
    // asyncio: StreamReader(limit=0) raises ValueError('Limit cannot be <= 0')
    onLoop(() -> {
      assertThatThrownBy(() -> reader(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Limit cannot be <= 0");
      assertThatThrownBy(() -> reader(-1)).isInstanceOf(IllegalArgumentException.class);
      return null;
    });
  }

  @Test
  void everyReadOfBufferedBytesIsDoneWhenItReturnsOnTheLoopThread() {
    // A coroutine's next step may continue at once: no hop, no turn, for bytes already here.
    onLoop(() -> {
      StreamReaderImpl r = reader();
      feed(r, "ab\ncdefgh\nij");
      assertThat(r.readLine().isDone()).isTrue();
      assertThat(r.readExactly(2).isDone()).isTrue();
      assertThat(r.readUntil("h".getBytes(US_ASCII)).isDone()).isTrue();
      assertThat(r.read(1).isDone()).isTrue();
      Promise<ByteBuf> buf = r.readBuf(10);
      assertThat(buf.isDone()).isTrue();
      assertThat(buf.result().toString(US_ASCII)).isEqualTo("ij");
      buf.result().release();
      Promise<byte[]> waiting = r.read(10);
      assertThat(waiting.isDone()).isFalse();
      feed(r, "k");
      assertThat(text(waiting)).isEqualTo("k");
      return null;
    });
  }

  @Test
  void readZeroReturnsEmptyAndLeavesTheBuffer() {
    onLoop(() -> {
      StreamReaderImpl r = reader();
      feed(r, DATA);
      assertThat(r.read(0).result()).isEmpty();
      assertThat(rest(r)).isEqualTo(DATA);
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readReturnsUpToNBytesAndKeepsTheRest(Chunking chunking) {
    // asyncio: feed b'line1', b'line2'; read(5) == b'line1', buffer b'line2'
    onLoop(() -> {
      StreamReaderImpl r = reader();
      chunking.feed(r, "line1");
      chunking.feed(r, "line2");
      assertThat(text(r.read(5))).isEqualTo("line1");
      assertThat(rest(r)).isEqualTo("line2");
      return null;
    });
  }

  @Test
  void pendingReadReturnsEverythingFedInOneCallback() {
    // asyncio test_read_line_breaks: read(30) before 18 bytes arrive at once => all 18
    onLoop(() -> {
      StreamReaderImpl r = reader();
      Promise<byte[]> read = r.read(30);
      assertThat(read.isDone()).isFalse();
      feed(r, DATA);
      assertThat(text(read)).isEqualTo(DATA);
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readIsNotCappedByTheLimit(Chunking chunking) {
    onLoop(() -> {
      StreamReaderImpl r = reader(3);
      chunking.feed(r, "chunk");
      assertThat(text(r.read(5))).isEqualTo("chunk");
      return null;
    });
  }

  @Test
  void readAtEofReturnsEmptyEveryTime() {
    onLoop(() -> {
      StreamReaderImpl r = reader();
      Promise<byte[]> pending = r.read(1024);
      r.feedEof();
      assertThat(pending.result()).isEmpty();
      assertThat(r.read(1024).result()).isEmpty();
      assertThat(r.read(1024).result()).isEmpty();
      return null;
    });
  }

  @Test
  void readWithNegativeSizeOtherThanMinusOneIsRefused() {
    // docs/differences-from-asyncio.md #6: asyncio reads to EOF for any negative n; aionet refuses n < -1
    onLoop(() -> {
      StreamReaderImpl r = reader();
      assertThatThrownBy(() -> r.read(-2)).isInstanceOf(IllegalArgumentException.class);
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readMinusOneReadsEverythingUpToEof(Chunking chunking) {
    // asyncio test_read_until_eof: chunk1\n, chunk2, EOF => b'chunk1\nchunk2'
    onLoop(() -> {
      CountingFlow flow = new CountingFlow();
      StreamReaderImpl r = new StreamReaderImpl(LoopThread.require(), 4, flow);
      Promise<byte[]> all = r.read(-1);
      chunking.feed(r, "chunk1\n");
      chunking.feed(r, "chunk2");
      assertThat(all.isDone()).isFalse();
      assertThat(r.isPaused()).as("a waiting read(-1) keeps reading on, past 2 x limit").isFalse();
      r.feedEof();
      assertThat(text(all)).isEqualTo("chunk1\nchunk2");
      assertThat(r.atEof()).isTrue();
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readExactlyReturnsExactlyNBytes(Chunking chunking) {
    // asyncio test_readexactly: DATA fed three times, readexactly(36) => 36 bytes, 18 left
    onLoop(() -> {
      StreamReaderImpl r = reader();
      Promise<byte[]> exactly = r.readExactly(36);
      chunking.feed(r, DATA);
      assertThat(exactly.isDone()).isFalse();
      chunking.feed(r, DATA);
      chunking.feed(r, DATA);
      assertThat(text(exactly)).isEqualTo(DATA + DATA);
      assertThat(rest(r)).isEqualTo(DATA);
      return null;
    });
  }

  @Test
  void readExactlyZeroIsEmptyAndNegativeIsRefusedWithTheBufferUntouched() {
    onLoop(() -> {
      StreamReaderImpl r = reader(3);
      feed(r, DATA);
      assertThat(r.readExactly(0).result()).isEmpty();
      assertThatThrownBy(() -> r.readExactly(-1)).isInstanceOf(IllegalArgumentException.class);
      assertThat(text(r.readExactly(5))).as("not capped by limit=3").isEqualTo("line1");
      assertThat(rest(r)).isEqualTo("\nline2\nline3\n");
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readExactlyAtEofFailsWithThePartialDataAndClearsTheBuffer(Chunking chunking) {
    // asyncio test_readexactly_eof: IncompleteReadError(partial=DATA, expected=36), buffer cleared
    onLoop(() -> {
      StreamReaderImpl r = reader();
      Promise<byte[]> exactly = r.readExactly(36);
      chunking.feed(r, DATA);
      r.feedEof();
      assertThat(exactly.isFailed()).isTrue();
      IncompleteReadException e = (IncompleteReadException) exactly.exception();
      assertThat(e).isInstanceOf(EOFException.class)
          .hasMessage("18 bytes read on a total of 36 expected bytes");
      assertThat(new String(e.partial(), US_ASCII)).isEqualTo(DATA);
      assertThat(e.expected()).hasValue(36);
      assertThat(r.bufferedBytes()).isZero();
      assertThat(r.atEof()).isTrue();
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readLineReturnsThroughTheNewlineAndKeepsTheRest(Chunking chunking) {
    // asyncio test_readline: 'chunk1 ', 'chunk2 ', 'chunk3 ', '\n chunk4' => b'chunk1 chunk2 chunk3 \n'
    onLoop(() -> {
      StreamReaderImpl r = reader();
      chunking.feed(r, "chunk1 ");
      Promise<byte[]> line = r.readLine();
      chunking.feed(r, "chunk2 ");
      chunking.feed(r, "chunk3 ");
      chunking.feed(r, "\n chunk4");
      assertThat(text(line)).isEqualTo("chunk1 chunk2 chunk3 \n");
      assertThat(rest(r)).isEqualTo(" chunk4");
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readLineThenReadConsumeExactlyTheirBytes(Chunking chunking) {
    // asyncio test_readline_read_byte_count: readline, then read(7) == b'line2\nl', b'ine3\n' left
    onLoop(() -> {
      StreamReaderImpl r = reader();
      chunking.feed(r, DATA.substring(0, 6));
      chunking.feed(r, DATA.substring(6));
      assertThat(text(r.readLine())).isEqualTo("line1\n");
      assertThat(text(r.read(7))).isEqualTo("line2\nl");
      assertThat(rest(r)).isEqualTo("ine3\n");
      return null;
    });
  }

  @Test
  void readLineAtEofReturnsThePartialLineThenEmpty() {
    // asyncio test_readline_eof / test_readline_empty_eof
    onLoop(() -> {
      StreamReaderImpl r = reader();
      feed(r, "some data");
      r.feedEof();
      assertThat(text(r.readLine())).isEqualTo("some data");
      assertThat(r.readLine().result()).isEmpty();
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void overLongLineWithItsNewlineBufferedIsDroppedThroughTheNewline(Chunking chunking) {
    // asyncio test_readline_limit_with_existing_data: limit=3, 'li','ne1\nline2\n' => buffer b'line2\n'
    onLoop(() -> {
      StreamReaderImpl r = reader(3);
      chunking.feed(r, "li");
      chunking.feed(r, "ne1\nline2\n");
      Promise<byte[]> line = r.readLine();
      assertThat(line.exception()).isInstanceOf(LimitOverrunException.class);
      assertThat(((LimitOverrunException) line.exception()).consumed()).isEqualTo(6);
      assertThat(rest(r)).isEqualTo("line2\n");

      // asyncio: limit=7, 'chunk1','chunk2\n','chunk3\n',EOF => buffer b'chunk3\n'
      StreamReaderImpl r7 = reader(7);
      chunking.feed(r7, "chunk1");
      chunking.feed(r7, "chunk2\n");
      chunking.feed(r7, "chunk3\n");
      r7.feedEof();
      assertThat(r7.readLine().exception()).isInstanceOf(LimitOverrunException.class);
      assertThat(text(r7.read(-1))).isEqualTo("chunk3\n");
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void overLongLineWithoutNewlineIsDroppedAlsoWhenItsTailArrivesLater(Chunking chunking) {
    // asyncio clears the buffer but returns the tail later; aionet drops it (docs/differences-from-asyncio.md #1)
    onLoop(() -> {
      StreamReaderImpl r = reader(3);
      chunking.feed(r, "li");
      chunking.feed(r, "ne1");
      chunking.feed(r, "li");
      Promise<byte[]> line = r.readLine();
      assertThat(line.exception()).isInstanceOf(LimitOverrunException.class)
          .hasMessage("Separator is not found, and chunk exceed the limit");
      assertThat(((LimitOverrunException) line.exception()).consumed()).isEqualTo(7);
      assertThat(r.bufferedBytes()).isZero();
      Promise<byte[]> next = r.readLine();
      chunking.feed(r, "ne2 still the same line");
      assertThat(r.bufferedBytes()).as("the tail is dropped, not buffered").isZero();
      chunking.feed(r, "\nok\n");
      assertThat(text(next)).isEqualTo("ok\n");
      return null;
    });
  }

  @Test
  void pendingReadLineFailsAsSoonAsMoreThanLimitBytesArrive() {
    // a trickle without newline fails after limit + 1 bytes
    onLoop(() -> {
      StreamReaderImpl r = reader(8);
      Promise<byte[]> line = r.readLine();
      Chunking.ONE_BYTE.feed(r, "12345678");
      assertThat(line.isDone()).isFalse();
      Chunking.ONE_BYTE.feed(r, "9");
      assertThat(((LimitOverrunException) line.exception()).consumed()).isEqualTo(9);
      Chunking.ONE_BYTE.feed(r, "abc\nnext\n");
      assertThat(text(r.readLine())).isEqualTo("next\n");
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void theLimitCountsLineBytesWithoutTheNewline(Chunking chunking) {
    // asyncio test_readline_limit: limit=7, b'1234567\n' ok, b'12345678\n' and b'12345678' fail
    onLoop(() -> {
      StreamReaderImpl ok = reader(7);
      chunking.feed(ok, "1234567\n");
      assertThat(text(ok.readLine())).isEqualTo("1234567\n");

      StreamReaderImpl tooLong = reader(7);
      chunking.feed(tooLong, "12345678\n");
      assertThat(tooLong.readLine().exception()).isInstanceOf(LimitOverrunException.class);
      assertThat(tooLong.bufferedBytes()).isZero();

      StreamReaderImpl noNewline = reader(7);
      chunking.feed(noNewline, "12345678");
      assertThat(noNewline.readLine().exception()).isInstanceOf(LimitOverrunException.class);
      assertThat(noNewline.bufferedBytes()).isZero();
      return null;
    });
  }

  @Test
  void readUntilRefusesEmptySeparators() {
    onLoop(() -> {
      StreamReaderImpl r = reader();
      assertThatThrownBy(() -> r.readUntil(new byte[0])).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Separator should be at least one-byte string");
      assertThatThrownBy(() -> r.readUntil(new byte[0][])).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Separator should contain at least one element");
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readUntilFindsASeparatorSplitAcrossChunks(Chunking chunking) {
    // asyncio test_readuntil_multi_chunks_1: 'QWEaa', 'XYaa', 'a' with b'aaa' => b'QWEaaXYaaa'
    onLoop(() -> {
      StreamReaderImpl r = reader();
      Promise<byte[]> until = r.readUntil("aaa".getBytes(US_ASCII));
      chunking.feed(r, "QWEaa");
      chunking.feed(r, "XYaa");
      assertThat(until.isDone()).isFalse();
      chunking.feed(r, "a");
      assertThat(text(until)).isEqualTo("QWEaaXYaaa");

      chunking.feed(r, "lineAAAxxx");
      assertThat(text(r.readUntil("AAA".getBytes(US_ASCII)))).isEqualTo("lineAAA");
      assertThat(rest(r)).isEqualTo("xxx");
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readUntilAtEofFailsWithThePartialDataAndClearsTheBuffer(Chunking chunking) {
    // asyncio test_readuntil_eof: b'some dataAA' + EOF, readuntil(b'AAA') => IncompleteReadError
    onLoop(() -> {
      StreamReaderImpl r = reader();
      chunking.feed(r, "some dataAA");
      r.feedEof();
      Promise<byte[]> until = r.readUntil("AAA".getBytes(US_ASCII));
      IncompleteReadException e = (IncompleteReadException) until.exception();
      assertThat(new String(e.partial(), US_ASCII)).isEqualTo("some dataAA");
      assertThat(e.expected()).isEmpty();
      assertThat(e.getMessage()).contains("undefined expected bytes");
      assertThat(r.bufferedBytes()).isZero();
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readUntilOverTheLimitKeepsTheData(Chunking chunking) {
    // asyncio test_readuntil_limit_found_sep: consumed 9 both times, buffer unchanged
    onLoop(() -> {
      StreamReaderImpl r = reader(3);
      chunking.feed(r, "some dataAA");
      Promise<byte[]> first = r.readUntil("AAA".getBytes(US_ASCII));
      assertThat(first.exception()).isInstanceOf(LimitOverrunException.class)
          .hasMessage("Separator is not found, and chunk exceed the limit");
      assertThat(((LimitOverrunException) first.exception()).consumed()).isEqualTo(9);
      assertThat(r.bufferedBytes()).isEqualTo(11);

      chunking.feed(r, "A");
      Promise<byte[]> second = r.readUntil("AAA".getBytes(US_ASCII));
      assertThat(second.exception()).hasMessage("Separator is found, but chunk is longer than limit");
      assertThat(((LimitOverrunException) second.exception()).consumed()).isEqualTo(9);
      assertThat(rest(r)).isEqualTo("some dataAAA");
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readUntilWithSeveralSeparatorsTakesTheMatchThatEndsFirst(Chunking chunking) {
    // asyncio 3.13 test_readuntil_multiple_separators
    onLoop(() -> {
      byte[] cr = {'\r'};
      byte[] lf = {'\n'};
      StreamReaderImpl r = reader();
      chunking.feed(r, "line 1\nline 2\r");
      assertThat(text(r.readUntil(cr, lf))).isEqualTo("line 1\n");
      assertThat(text(r.readUntil(cr, lf))).isEqualTo("line 2\r");

      StreamReaderImpl earliest = reader();
      chunking.feed(earliest, "ABCDEFG");
      assertThat(text(earliest.readUntil("DEF".getBytes(US_ASCII), "BCDE".getBytes(US_ASCII))))
          .isEqualTo("ABCDE");
      assertThat(rest(earliest)).isEqualTo("FG");

      StreamReaderImpl limited = reader(3);
      chunking.feed(limited, "some dataA");
      Promise<byte[]> over = limited.readUntil("A".getBytes(US_ASCII), "ome dataA".getBytes(US_ASCII));
      assertThat(over.exception()).hasMessage("Separator is found, but chunk is longer than limit");
      assertThat(rest(limited)).isEqualTo("some dataA");

      StreamReaderImpl offset = reader();
      Promise<byte[]> until = offset.readUntil("A".getBytes(US_ASCII), "long sep".getBytes(US_ASCII));
      chunking.feed(offset, "data");
      chunking.feed(offset, "Z");
      chunking.feed(offset, "Aaaa");
      assertThat(text(until)).isEqualTo("dataZA");
      assertThat(rest(offset)).isEqualTo("aaa");
      return null;
    });
  }

  @Test
  void atEofIsTrueOnlyAfterEofWithAnEmptyBuffer() {
    onLoop(() -> {
      StreamReaderImpl r = reader();
      assertThat(r.atEof()).isFalse();
      feed(r, DATA);
      assertThat(r.atEof()).isFalse();
      r.readLine();
      assertThat(r.atEof()).isFalse();
      r.feedEof();
      assertThat(r.atEof()).isFalse();
      r.read(-1);
      assertThat(r.atEof()).isTrue();
      return null;
    });
  }

  @Test
  void anExceptionWinsOverBufferedBytesForEveryRead() {
    // asyncio test_exception: read(2) == b'li', set_exception, read(2) raises despite b'ne\n'
    onLoop(() -> {
      StreamReaderImpl r = reader();
      feed(r, "line\n");
      assertThat(text(r.read(2))).isEqualTo("li");
      IllegalStateException boom = new IllegalStateException("boom");
      r.setException(boom);
      assertThat(r.exception()).isSameAs(boom);
      assertThat(r.read(2).exception()).isSameAs(boom);
      assertThat(r.readLine().exception()).isSameAs(boom);
      assertThat(r.readExactly(1).exception()).isSameAs(boom);
      assertThat(r.readUntil(new byte[] {'\n'}).exception()).isSameAs(boom);
      r.release();
      return null;
    });
  }

  @Test
  void anExceptionWakesThePendingRead() {
    // asyncio test_exception_waiter
    onLoop(() -> {
      StreamReaderImpl r = reader();
      Promise<byte[]> line = r.readLine();
      IllegalStateException boom = new IllegalStateException("boom");
      r.setException(boom);
      assertThat(line.exception()).isSameAs(boom);
      assertThat(r.hasWaiter()).isFalse();
      return null;
    });
  }

  @Test
  void anExceptionAfterACancelledReadLeavesNoWaiter() {
    // asyncio test_exception_cancel
    onLoop(() -> {
      StreamReaderImpl r = reader();
      Promise<byte[]> line = r.readLine();
      line.cancel();
      assertThat(r.hasWaiter()).isFalse();
      r.setException(new IllegalStateException("boom"));
      assertThat(line.isCancelled()).isTrue();
      return null;
    });
  }

  @Test
  void aSecondConcurrentReadFailsNamingItsMethod() {
    // asyncio: RuntimeError('readuntil() called while another coroutine is already waiting ...')
    onLoop(() -> {
      StreamReaderImpl r = reader();
      Promise<byte[]> first = r.read(10);
      Promise<byte[]> second = r.readLine();
      assertThat(second.exception()).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("readLine() called while another read is pending on StreamReader[");
      feed(r, "abc\n");
      assertThat(text(first)).isEqualTo("abc\n");
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void cancellingAReadKeepsEveryBufferedByte(Chunking chunking) {
    // asyncio test_readline_cancel: the buffer is only changed on success
    onLoop(() -> {
      StreamReaderImpl r = reader();
      Promise<byte[]> line = r.readLine();
      chunking.feed(r, "half a ");
      assertThat(line.cancel()).isTrue();
      chunking.feed(r, "line\n");
      assertThat(text(r.readLine())).isEqualTo("half a line\n");

      Promise<byte[]> exactly = r.readExactly(10);
      chunking.feed(r, "12345");
      exactly.cancel();
      assertThat(r.bufferedBytes()).isEqualTo(5);
      chunking.feed(r, "67890");
      assertThat(text(r.readExactly(10))).isEqualTo("1234567890");
      return null;
    });
  }

  @Test
  void readingPausesAboveTwiceTheLimitAndResumesAtTheLimit() {
    // asyncio test_feed_data_pause / resume: pause when > 2*limit, resume when <= limit
    onLoop(() -> {
      CountingFlow flow = new CountingFlow();
      StreamReaderImpl r = new StreamReaderImpl(LoopThread.require(), 10, flow);
      feed(r, "x".repeat(20));
      assertThat(flow.pauses).as("20 bytes is not more than 2 x limit").isZero();
      feed(r, "x");
      assertThat(flow.pauses).isEqualTo(1);
      assertThat(r.isPaused()).isTrue();
      r.read(5);
      assertThat(flow.resumes).as("16 bytes left, above the limit").isZero();
      r.read(6);
      assertThat(flow.resumes).isEqualTo(1);
      assertThat(r.isPaused()).isFalse();
      r.release();
      return null;
    });
  }

  @Test
  void aReadThatMustWaitResumesReadingFirst() {
    // asyncio _wait_for_data: readexactly(n > 2*limit) cannot deadlock
    onLoop(() -> {
      CountingFlow flow = new CountingFlow();
      StreamReaderImpl r = new StreamReaderImpl(LoopThread.require(), 10, flow);
      feed(r, "y".repeat(25));
      assertThat(r.isPaused()).isTrue();
      Promise<byte[]> exactly = r.readExactly(30);
      assertThat(r.isPaused()).isFalse();
      assertThat(flow.resumes).isEqualTo(1);
      feed(r, "y".repeat(5));
      assertThat(exactly.result()).hasSize(30);
      return null;
    });
  }

  @Test
  void feedingNothingOrAfterEofChangesNothing() {
    onLoop(() -> {
      StreamReaderImpl r = reader();
      Promise<byte[]> read = r.read(10);
      r.feedData(Unpooled.EMPTY_BUFFER);
      assertThat(read.isDone()).isFalse();
      r.feedEof();
      ByteBuf late = Unpooled.copiedBuffer("late", US_ASCII);
      r.feedData(late);
      assertThat(late.refCnt()).as("released").isZero();
      assertThat(read.result()).isEmpty();
      return null;
    });
  }

  @ParameterizedTest
  @EnumSource(Chunking.class)
  void readBufReturnsTheBytesWithoutCopyingAndTheCallerReleasesThem(Chunking chunking) {
    onLoop(() -> {
      StreamReaderImpl r = reader();
      chunking.feed(r, DATA);
      ByteBuf first = r.readBuf(8).result();
      try {
        assertThat(first.toString(US_ASCII)).isEqualTo("line1\nli");
      } finally {
        first.release();
      }
      r.feedEof();
      ByteBuf all = r.readBuf(-1).result();
      try {
        assertThat(all.toString(US_ASCII)).isEqualTo("ne2\nline3\n");
      } finally {
        all.release();
      }
      ByteBuf atEof = r.readBuf(5).result();
      assertThat(atEof.readableBytes()).isZero();
      atEof.release();
      return null;
    });
  }

  @Test
  void readLineWithACharsetDropsTheTerminatorAndGivesNullAtEof() {
    onLoop(() -> {
      StreamReaderImpl r = reader();
      r.feedData(Unpooled.copiedBuffer("h\u00e9llo\r\nworld\nlast", UTF_8));
      r.feedEof();
      assertThat(r.readLine(UTF_8).result()).isEqualTo("h\u00e9llo");
      assertThat(r.readLine(UTF_8).result()).isEqualTo("world");
      assertThat(r.readLine(UTF_8).result()).isEqualTo("last");
      assertThat(r.readLine(UTF_8).result()).isNull();
      return null;
    });
  }
}
