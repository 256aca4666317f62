package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.LoopContext;
import dev.aionet.streams.IncompleteReadException;
import dev.aionet.streams.LimitOverrunException;
import dev.aionet.streams.StreamReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@link StreamReader} of one connection: a {@link ChunkQueue} fed by the
 * {@link StreamAdapter}, and at most one pending read.
 *
 * <pre>
 *   socket ─► user handlers ─► StreamAdapter ─► feedData ─► ChunkQueue ─► the pending read
 *                                   ▲                          │
 *                                   └── autoRead off while it holds &gt; 2 x limit,
 *                                       on again at &lt;= limit or when a read must wait
 * </pre>
 *
 * <p>The rules are CPython's {@code streams.py} (BEHAVIOUR.md section I): a read consumes the
 * buffer only when it succeeds, so a cancelled read loses nothing. One deliberate difference
 * (BEHAVIOUR.md decision 1): an over-long {@code readLine} drops the rest of its line, also the
 * bytes that arrive later ({@link #discardingLine}).
 *
 * <p>All state is confined to the connection's loop thread; the public reads hop there.
 */
public final class StreamReaderImpl implements StreamReader {
  private static final byte[] EMPTY = new byte[0];
  private static final byte NEWLINE = '\n';
  private static final byte[][] LINE_SEPARATOR = {{NEWLINE}};

  private final LoopContext loop;
  private final int limit;
  private final ByteBufAllocator alloc;
  private final ReadFlow flow;
  private final ChunkQueue buffer = new ChunkQueue();
  private volatile boolean eof;
  private volatile Throwable exception;
  /** Decision 1: dropping the tail of an over-long line, up to and including its newline. */
  private boolean discardingLine;
  /** The writer closed the connection: input is dropped from now on. */
  private boolean released;
  private boolean paused;
  private PendingRead<?> waiter;

  /**
   * Creates a reader.
   *
   * @param loop the connection's loop thread; reads run and settle there
   * @param limit the buffer limit, positive
   * @param alloc the allocator for multi-chunk {@link #readBuf} results
   * @param flow pauses and resumes the socket, or {@code null} (the buffer then grows freely)
   */
  StreamReaderImpl(LoopContext loop, int limit, ByteBufAllocator alloc, ReadFlow flow) {
    if (limit <= 0) {
      throw new IllegalArgumentException("Limit cannot be <= 0: " + limit);
    }
    this.loop = Objects.requireNonNull(loop, "loop");
    this.limit = limit;
    this.alloc = Objects.requireNonNull(alloc, "alloc");
    this.flow = flow;
  }

  // ---------------------------------------------------------------- fed by the adapter (loop thread)

  /** Appends received bytes, taking ownership (asyncio's {@code feed_data}). */
  void feedData(ByteBuf data) {
    if (released || eof) {
      // asyncio asserts here; Netty may still deliver a read that raced with close.
      data.release();
      return;
    }
    if (discardingLine) {
      int newline = data.indexOf(data.readerIndex(), data.writerIndex(), NEWLINE);
      if (newline < 0) {
        data.release();
        return;
      }
      data.readerIndex(newline + 1);
      discardingLine = false;
    }
    buffer.add(data);
    wake();
  }

  /** Records EOF (asyncio's {@code feed_eof}); buffered bytes stay readable. */
  void feedEof() {
    eof = true;
    discardingLine = false;
    wake();
  }

  /**
   * The channel is gone: the unread bytes move to heap memory the garbage collector owns (the
   * socket's buffers are released now, since nobody may ever read or close this reader), and
   * the reader is at EOF after them, so no byte the peer sent is lost.
   */
  void connectionLost() {
    if (!released) {
      buffer.moveToHeap();
    }
    feedEof();
  }

  /** Fails every read from now on with {@code error}, buffered bytes notwithstanding. */
  void setException(Throwable error) {
    exception = Objects.requireNonNull(error, "error");
    wake();
  }

  /** The writer closed the connection: releases the unread input; reads see EOF. */
  void release() {
    released = true;
    eof = true;
    discardingLine = false;
    buffer.clear();
    wake();
  }

  /** Bytes held in the buffer now. Any thread. */
  int bufferedBytes() {
    return buffer.size();
  }

  /** Whether the reader asked the socket to stop reading. */
  boolean isPaused() {
    return paused;
  }

  /** Whether a read is waiting for data. */
  boolean hasWaiter() {
    return waiter != null;
  }

  private void wake() {
    PendingRead<?> w = waiter;
    if (w != null) {
      w.attempt();
    }
    updateFlow();
  }

  /** asyncio's pause/resume rules, plus: a read that must wait turns reading on. */
  private void updateFlow() {
    // After EOF nothing more comes from the socket: leave autoRead alone (epoll may already have
    // dropped the half-closed socket's read interest, and re-arming it fails).
    if (flow == null || released || eof) {
      return;
    }
    int size = buffer.size();
    if (paused && (waiter != null || size <= limit)) {
      paused = false;
      flow.resumeReading();
    } else if (!paused && waiter == null && size > 2 * limit) {
      paused = true;
      flow.pauseReading();
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Promise<byte[]> read(int n) {
    checkSize(n, -1, "read");
    return submit(n == -1 ? new ReadAll() : new Read(n));
  }

  @Override
  public Promise<byte[]> readExactly(int n) {
    checkSize(n, 0, "readExactly");
    return submit(new ReadExactly(n));
  }

  @Override
  public Promise<byte[]> readLine() {
    return submit(new ReadUntil(LINE_SEPARATOR, true));
  }

  @Override
  public Promise<byte[]> readUntil(byte[] separator) {
    Objects.requireNonNull(separator, "separator");
    return readUntil(new byte[][] {separator});
  }

  @Override
  public Promise<byte[]> readUntil(byte[]... separators) {
    Objects.requireNonNull(separators, "separators");
    if (separators.length == 0) {
      throw new IllegalArgumentException("Separator should contain at least one element");
    }
    // asyncio 3.13: sorted by length (stably), so on equal end positions the shorter wins.
    byte[][] sorted = separators.clone();
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = Objects.requireNonNull(sorted[i], "separator").clone();
    }
    Arrays.sort(sorted, Comparator.comparingInt(s -> s.length));
    if (sorted[0].length == 0) {
      throw new IllegalArgumentException("Separator should be at least one-byte string");
    }
    return submit(new ReadUntil(sorted, false));
  }

  @Override
  public Promise<String> readLine(Charset charset) {
    Objects.requireNonNull(charset, "charset");
    return readLine().thenApply(line -> {
      int end = line.length;
      if (end == 0) {
        return null;
      }
      if (line[end - 1] == NEWLINE) {
        end--;
        if (end > 0 && line[end - 1] == '\r') {
          end--;
        }
      }
      return new String(line, 0, end, charset);
    });
  }

  @Override
  public Promise<ByteBuf> readBuf(int n) {
    checkSize(n, -1, "readBuf");
    return submit(new ReadBuf(n));
  }

  @Override
  public boolean atEof() {
    return eof && buffer.isEmpty();
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public Throwable exception() {
    return exception;
  }

  private static void checkSize(int n, int min, String method) {
    if (n < min) {
      throw new IllegalArgumentException(method + " size can not be less than " + min + ": " + n);
    }
  }

  /**
   * Starts {@code read} on the loop thread. On the loop thread with the bytes already buffered
   * it settles before this returns, so the common read costs one object and no hop.
   */
  private <T> Promise<T> submit(PendingRead<T> read) {
    if (loop.inEventLoop()) {
      start(read);
    } else {
      loop.execute(() -> start(read));
    }
    return read;
  }

  private void start(PendingRead<?> read) {
    if (read.isDone()) {
      return; // cancelled before it reached the loop
    }
    if (waiter != null) {
      // asyncio: "readuntil() called while another coroutine is already waiting for incoming data"
      read.fail(new IllegalStateException(read.method() + " called while another read is pending on " + this));
      return;
    }
    if (!read.attempt()) {
      waiter = read;
      read.onCancel(read);
    }
    updateFlow();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("StreamReader[").append(buffer.size()).append(" bytes");
    if (eof) {
      b.append(", eof");
    }
    if (exception != null) {
      b.append(", exception=").append(exception);
    }
    if (paused) {
      b.append(", paused");
    }
    return b.append(", limit=").append(limit).append(']').toString();
  }

  // ---------------------------------------------------------------- pending reads

  /**
   * One read, and the promise of its result (one object: most reads settle at once). {@link
   * #attempt()} settles it when the buffer allows, consuming only then; if the promise was
   * cancelled from another thread in the meantime, the consumed bytes go back. As a
   * {@link Runnable} it is its own cancellation action: it stops waiting.
   */
  private abstract class PendingRead<T> extends LeafPromise<T> implements Runnable {
    PendingRead() {
      super(loop);
    }

    /** The method's name for messages, e.g. {@code "read()"}. */
    abstract String method();

    /** Settles the read if it can; returns whether it did. */
    final boolean attempt() {
      Throwable error = exception;
      if (error != null) {
        settleFailed(error);
        return true;
      }
      return tryRead();
    }

    abstract boolean tryRead();

    final void detach() {
      if (waiter == this) {
        waiter = null;
      }
    }

    final void succeed(byte[] bytes) {
      detach();
      @SuppressWarnings("unchecked")
      boolean done = ((LeafPromise<byte[]>) this).complete(bytes);
      if (!done && bytes.length > 0) {
        buffer.addFirst(Unpooled.wrappedBuffer(bytes));
      }
    }

    final void settleFailed(Throwable error) {
      detach();
      fail(error);
    }

    /** Fails with bytes already removed from the buffer; they go back if nobody is waiting. */
    final void settleFailed(Throwable error, byte[] consumed) {
      detach();
      if (!fail(error) && consumed.length > 0) {
        buffer.addFirst(Unpooled.wrappedBuffer(consumed));
      }
    }

    /** The promise was cancelled: stop waiting (on the loop thread). */
    @Override
    public final void run() {
      if (loop.inEventLoop()) {
        dropWaiter();
      } else {
        loop.execute(this::dropWaiter);
      }
    }

    private void dropWaiter() {
      if (waiter == this) {
        waiter = null;
        updateFlow();
      }
    }
  }

  /** read(n), n >= 0: up to n bytes as soon as one is there. */
  private final class Read extends PendingRead<byte[]> {
    private final int n;

    Read(int n) {
      this.n = n;
    }

    @Override
    String method() {
      return "read()";
    }

    @Override
    boolean tryRead() {
      if (n == 0) {
        succeed(EMPTY);
      } else if (!buffer.isEmpty()) {
        succeed(buffer.readBytes(Math.min(n, buffer.size())));
      } else if (eof) {
        succeed(EMPTY);
      } else {
        return false;
      }
      return true;
    }
  }

  /**
   * read(-1): everything up to EOF. asyncio loops over read(limit); here the bytes stay in the
   * buffer until EOF so that a cancelled read(-1) loses nothing, and the waiting read keeps the
   * socket reading, so it cannot deadlock (it holds everything, as its result will).
   */
  private final class ReadAll extends PendingRead<byte[]> {
    @Override
    String method() {
      return "read()";
    }

    @Override
    boolean tryRead() {
      if (!eof) {
        return false;
      }
      succeed(buffer.readBytes(buffer.size()));
      return true;
    }
  }

  private final class ReadExactly extends PendingRead<byte[]> {
    private final int n;

    ReadExactly(int n) {
      this.n = n;
    }

    @Override
    String method() {
      return "readExactly()";
    }

    @Override
    boolean tryRead() {
      if (buffer.size() >= n) {
        succeed(buffer.readBytes(n));
      } else if (eof) {
        byte[] partial = buffer.readBytes(buffer.size());
        settleFailed(new IncompleteReadException(partial, OptionalInt.of(n)), partial);
      } else {
        return false;
      }
      return true;
    }
  }

  private final class ReadBuf extends PendingRead<ByteBuf> {
    private final int n;

    ReadBuf(int n) {
      this.n = n;
    }

    @Override
    String method() {
      return "readBuf()";
    }

    @Override
    boolean tryRead() {
      int size = buffer.size();
      int take;
      if (n == 0) {
        take = 0;
      } else if (n == -1) {
        if (!eof) {
          return false;
        }
        take = size;
      } else if (size > 0) {
        take = Math.min(n, size);
      } else if (eof) {
        take = 0;
      } else {
        return false;
      }
      ByteBuf out = buffer.readRetained(take, alloc);
      detach();
      if (!complete(out)) {
        buffer.addFirst(out);
      }
      return true;
    }
  }

  /**
   * readuntil as CPython 3.13 (several separators, the earliest end wins), and readLine on top
   * of it with decision 1 for over-long lines. {@link #offset} survives waits, as asyncio's
   * local variable does, so each arrival is scanned once.
   */
  private final class ReadUntil extends PendingRead<byte[]> {
    private final byte[][] separators;
    private final boolean line;
    private int offset;

    ReadUntil(byte[][] separators, boolean line) {
      this.separators = separators;
      this.line = line;
    }

    @Override
    String method() {
      return line ? "readLine()" : "readUntil()";
    }

    @Override
    boolean tryRead() {
      int minLen = separators[0].length;
      int maxLen = separators[separators.length - 1].length;
      int buflen = buffer.size();
      if (buflen - offset >= minLen) {
        int matchStart = -1;
        int matchEnd = -1;
        for (byte[] sep : separators) {
          int at = buffer.indexOf(sep, offset);
          if (at >= 0 && (matchEnd < 0 || at + sep.length < matchEnd)) {
            matchStart = at;
            matchEnd = at + sep.length;
          }
        }
        if (matchEnd >= 0) {
          if (matchStart > limit) {
            overrun("Separator is found, but chunk is longer than limit", matchStart);
          } else {
            succeed(buffer.readBytes(matchEnd));
          }
          return true;
        }
        offset = Math.max(0, buflen + 1 - maxLen);
        if (offset > limit) {
          overrun("Separator is not found, and chunk exceed the limit", offset);
          return true;
        }
      }
      if (eof) {
        byte[] partial = buffer.readBytes(buffer.size());
        if (line) {
          succeed(partial); // asyncio readline: the partial line at EOF, no exception
        } else {
          settleFailed(new IncompleteReadException(partial, OptionalInt.empty()), partial);
        }
        return true;
      }
      return false;
    }

    private void overrun(String message, int consumed) {
      if (!line) {
        settleFailed(new LimitOverrunException(message, consumed)); // readUntil keeps the data (case 95)
        return;
      }
      // Decision 1: drop the over-long line through its newline, or all of it and what follows
      // until a newline arrives.
      int dropped;
      if (consumed < buffer.size() && buffer.byteAt(consumed) == NEWLINE) {
        dropped = consumed + 1;
        buffer.skip(dropped);
      } else {
        dropped = buffer.size();
        buffer.clear();
        discardingLine = !eof;
      }
      settleFailed(new LimitOverrunException(message, dropped));
    }
  }
}
