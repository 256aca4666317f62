package dev.aionet.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.IncompleteReadException;
import dev.aionet.streams.LimitOverrunException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 9, item 5: for random chunkings of a random byte stream and random sequences of reads,
 * each read returns what CPython's streams.py (with aionet\'s over-long-line rule, docs/differences-from-asyncio.md #1) predicts from the whole
 * stream, whatever the chunking: the bytes returned, the partial data of IncompleteReadException,
 * and the bytes an over-long readLine dropped, concatenated with what remains, are the input.
 * Every fed buffer is released by the end.
 */
class StreamReaderProperties {
  private static Loop loop;

  @BeforeContainer
  static void startLoop() {
    loop = Loop.create();
  }

  @AfterContainer
  static void closeLoop() {
    loop.close();
  }

  /** One read, and how the model predicts it. */
  sealed interface Op permits Read, ReadBuf, ReadExactly, ReadLine, ReadUntil {}

  record Read(int n) implements Op {}

  record ReadBuf(int n) implements Op {}

  record ReadExactly(int n) implements Op {}

  record ReadLine() implements Op {}

  record ReadUntil(List<String> separators) implements Op {
    @Override
    public String toString() {
      return "ReadUntil" + separators.stream().map(s -> s.replace("\n", "\\n").replace("\r", "\\r")).toList();
    }
  }

  @Provide
  Arbitrary<byte[]> streams() {
    return Arbitraries.of((byte) 'a', (byte) 'b', (byte) 'x', (byte) '\r', (byte) '\n')
        .list().ofMaxSize(120)
        .map(list -> {
          byte[] out = new byte[list.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
          }
          return out;
        });
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<String> separator = Arbitraries.of("\n", "\r\n", "x", "ab", "b\n", "xab", "bb");
    Arbitrary<Op> op = Arbitraries.oneOf(
        Arbitraries.integers().between(-1, 12).map(Read::new),
        Arbitraries.integers().between(-1, 12).map(ReadBuf::new),
        Arbitraries.integers().between(0, 15).map(ReadExactly::new),
        Arbitraries.just(new ReadLine()),
        Arbitraries.just(new ReadLine()),
        separator.list().ofMinSize(1).ofMaxSize(3).map(ReadUntil::new));
    return op.list().ofMinSize(1).ofMaxSize(20);
  }

  @Property(tries = 1000)
  void readsReturnTheStreamInOrderAndFailAsCPythonPredicts(
      @ForAll("streams") byte[] input,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 9) Integer> chunkSizes,
      @ForAll("ops") List<Op> ops,
      @ForAll @IntRange(min = 1, max = 10) int limit) {
    loop.runUntilComplete(() -> {
      new Run(input, chunkSizes, limit).check(ops);
      return Promise.completed(null);
    });
  }

  /** One reader fed in chunks, and the model: the position in the input the next read starts at. */
  private static final class Run {
    final byte[] input;
    final List<Integer> chunkSizes;
    final int limit;
    final StreamReaderImpl reader;
    final List<ByteBuf> fed = new ArrayList<>();
    int fedBytes;
    int chunk;
    boolean eofFed;
    int pos;

    Run(byte[] input, List<Integer> chunkSizes, int limit) {
      this.input = input;
      this.chunkSizes = chunkSizes;
      this.limit = limit;
      // pooled buffers: leak-tracked, and refCnt() says who released them
      this.reader = new StreamReaderImpl(LoopThread.require(), limit, null);
    }

    /** Delivers the next chunk, or EOF once everything was delivered; false if nothing is left. */
    boolean feedMore() {
      if (fedBytes < input.length) {
        int n = Math.min(chunkSizes.get(chunk++ % chunkSizes.size()), input.length - fedBytes);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(n);
        buf.writeBytes(input, fedBytes, n);
        fed.add(buf);
        fedBytes += n;
        reader.feedData(buf);
        return true;
      }
      if (!eofFed) {
        eofFed = true;
        reader.feedEof();
        return true;
      }
      return false;
    }

    <T> Promise<T> settle(Promise<T> p, Op op) {
      while (!p.isDone()) {
        if (!feedMore()) {
          throw new AssertionError(op + " never settled, at " + pos + " of " + input.length);
        }
      }
      return p;
    }

    void check(List<Op> ops) {
      for (Op op : ops) {
        String at = op + " at " + pos + " of " + Arrays.toString(input) + " (limit " + limit + ")";
        if (op instanceof Read r) {
          checkRead(at, r.n(), settle(reader.read(r.n()), op).result());
        } else if (op instanceof ReadBuf r) {
          ByteBuf buf = settle(reader.readBuf(r.n()), op).result();
          byte[] bytes = ByteBufUtil.getBytes(buf);
          buf.release();
          checkRead(at, r.n(), bytes);
        } else if (op instanceof ReadExactly r) {
          checkReadExactly(at, r.n(), settle(reader.readExactly(r.n()), op));
        } else if (op instanceof ReadLine) {
          checkReadLine(at, settle(reader.readLine(), op));
        } else if (op instanceof ReadUntil r) {
          checkReadUntil(at, r.separators(), settle(reader.readUntil(r.separators().stream()
              .map(sep -> sep.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toArray(byte[][]::new)), op));
        }
      }
      // what remains, then every fed buffer has been released exactly once
      while (feedMore()) {
        // deliver the rest
      }
      byte[] rest = reader.read(-1).result();
      assertThat(rest).as("the rest after " + ops).isEqualTo(Arrays.copyOfRange(input, pos, input.length));
      assertThat(fed).allMatch(b -> b.refCnt() == 0, "released");
    }

    private byte[] remaining(int end) {
      return Arrays.copyOfRange(input, pos, end);
    }

    void checkRead(String at, int n, byte[] got) {
      int left = input.length - pos;
      if (n == -1) {
        assertThat(got).as(at).isEqualTo(remaining(input.length));
      } else if (n == 0 || left == 0) {
        assertThat(got).as(at).isEmpty();
      } else {
        assertThat(got.length).as(at).isBetween(1, Math.min(n, left));
        assertThat(got).as(at).isEqualTo(remaining(pos + got.length));
      }
      pos += got.length;
    }

    void checkReadExactly(String at, int n, Promise<byte[]> p) {
      if (input.length - pos >= n) {
        assertThat(p.isSuccess()).as(at + " " + p).isTrue();
        assertThat(p.result()).as(at).isEqualTo(remaining(pos + n));
        pos += n;
      } else {
        assertThat(p.exception()).as(at).isInstanceOf(IncompleteReadException.class);
        IncompleteReadException e = (IncompleteReadException) p.exception();
        assertThat(e.partial()).as(at).isEqualTo(remaining(input.length));
        assertThat(e.expected()).as(at).isEqualTo(OptionalInt.of(n));
        pos = input.length;
      }
    }

    int indexOf(byte[] sep, int from) {
      outer:
      for (int i = from; i + sep.length <= input.length; i++) {
        for (int k = 0; k < sep.length; k++) {
          if (input[i + k] != sep[k]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    void checkReadLine(String at, Promise<byte[]> p) {
      int newline = indexOf(new byte[] {'\n'}, pos);
      int lineLength = (newline < 0 ? input.length : newline) - pos; // without the newline
      int end = newline < 0 ? input.length : newline + 1;
      if (lineLength > limit) {
        // docs/differences-from-asyncio.md #1: the whole over-long line is dropped, through its newline
        assertThat(p.exception()).as(at + " " + p).isInstanceOf(LimitOverrunException.class);
        assertThat(((LimitOverrunException) p.exception()).consumed()).as(at).isBetween(limit + 1, end - pos);
      } else {
        assertThat(p.isSuccess()).as(at + " " + p).isTrue();
        assertThat(p.result()).as(at).isEqualTo(remaining(end)); // at EOF: the partial line, or empty
      }
      pos = end;
    }

    void checkReadUntil(String at, List<String> separators, Promise<byte[]> p) {
      // CPython 3.13: the match that ends first wins; on equal ends, the shorter separator
      List<byte[]> seps = separators.stream()
          .map(s -> s.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
          .sorted(Comparator.comparingInt(s -> s.length)).toList();
      int matchStart = -1;
      int matchEnd = -1;
      for (byte[] sep : seps) {
        int i = indexOf(sep, pos);
        if (i >= 0 && (matchEnd < 0 || i + sep.length < matchEnd)) {
          matchStart = i;
          matchEnd = i + sep.length;
        }
      }
      int maxLen = seps.get(seps.size() - 1).length;
      if (matchEnd >= 0 ? matchStart - pos > limit : input.length - pos + 1 - maxLen > limit) {
        assertThat(p.exception()).as(at + " " + p).isInstanceOf(LimitOverrunException.class);
        return; // readUntil keeps the data
      }
      if (matchEnd >= 0) {
        assertThat(p.isSuccess()).as(at + " " + p).isTrue();
        assertThat(p.result()).as(at).isEqualTo(remaining(matchEnd));
        pos = matchEnd;
        return;
      }
      assertThat(p.exception()).as(at + " " + p).isInstanceOf(IncompleteReadException.class);
      IncompleteReadException e = (IncompleteReadException) p.exception();
      assertThat(e.partial()).as(at).isEqualTo(remaining(input.length));
      assertThat(e.expected()).as(at).isEmpty();
      pos = input.length;
    }
  }
}
