package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.StreamReader;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

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
 * <p>The rules are CPython's {@code streams.py}: a read consumes the
 * buffer only when it succeeds, so a cancelled read loses nothing. One deliberate difference
 * (see docs/differences-from-asyncio.md): an over-long {@code readLine} drops the rest of its line, also the
 * bytes that arrive later ({@link #discardingLine}).
 *
 * <p>All state is confined to the connection's loop thread; the public reads hop there.
 *
 * <p>The reader <em>is</em> its buffer (it extends {@link ChunkQueue} rather than holding one):
 * one object less for every connection, most of which sit idle.
 */
public final class StreamReaderImpl extends ChunkQueue implements StreamReader, ReaderSide {
  static final byte[] EMPTY = new byte[0];
  private static final AtomicReferenceFieldUpdater<StreamReaderImpl, Object> WAITER_OR_ERROR =
      AtomicReferenceFieldUpdater.newUpdater(StreamReaderImpl.class, Object.class, "waiterOrError");
  static final byte NEWLINE = '\n';
  private static final byte[][] LINE_SEPARATOR = {{NEWLINE}};

  private final LoopThread loop;
  final int limit;
  private final ReadFlow flow;
  volatile boolean eof;
  /** Over-long lines (docs/differences-from-asyncio.md #1): dropping the tail of an over-long line, up to and including its newline. */
  boolean discardingLine;
  /** The writer closed the connection: input is dropped from now on. */
  private boolean released;
  private boolean paused;
  /**
   * The read waiting for data, or the error every read fails with from now on (or an
   * {@link ErrorAfterData}: the error once the buffer is read); never both (a read waiting when
   * the error comes fails with it). One field for these: every field costs each idle connection
   * up to 8 bytes. Volatile for {@link #exception()} from any thread, but written on the loop
   * thread only, with release stores ({@link #setWaiterOrError}): a volatile store would cost a
   * fence each time a read waits or settles.
   */
  private volatile Object waiterOrError;

  /**
   * Creates a reader.
   *
   * @param loop the connection's loop thread; reads run and settle there
   * @param limit the buffer limit, positive
   * @param flow pauses and resumes the socket, or {@code null} (the buffer then grows freely)
   */
  StreamReaderImpl(LoopThread loop, int limit, ReadFlow flow) {
    if (limit <= 0) {
      throw new IllegalArgumentException("Limit cannot be <= 0: " + limit);
    }
    this.loop = Objects.requireNonNull(loop, "loop");
    this.limit = limit;
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
    add(data);
    wake();
  }

  /** Records EOF (asyncio's {@code feed_eof}); buffered bytes stay readable. */
  void feedEof() {
    if (waiterOrError instanceof ErrorAfterData) {
      return; // the input ended with an error, not with EOF (the channel's close comes after it)
    }
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
      moveToHeap();
    }
    feedEof();
  }

  /** Fails every read from now on with {@code error}, buffered bytes notwithstanding. */
  void setException(Throwable error) {
    Objects.requireNonNull(error, "error");
    PendingRead<?> w = waiter();
    setWaiterOrError(error);
    if (w != null) {
      w.attempt(); // fails with the error
    }
    updateFlow();
  }

  /**
   * The input ended with {@code error} after the bytes buffered now (a TLS stream truncated
   * mid-record): a read the buffer can serve still succeeds; one that would wait for more, or
   * see EOF, fails with {@code error} and consumes nothing. A read waiting now fails at once.
   */
  void endWithError(Throwable error) {
    Objects.requireNonNull(error, "error");
    PendingRead<?> w = waiter();
    waiterOrError = isEmpty() ? error : new ErrorAfterData(error);
    if (w != null) {
      w.attempt(); // the buffer could not serve it: fails with the error
    }
  }

  /** The writer closed the connection: releases the unread input; reads see EOF. */
  @Override
  public void release() {
    if (waiterOrError instanceof ErrorAfterData) {
      waiterOrError = ((ErrorAfterData) waiterOrError).error; // nothing buffered to deliver first any more
    }
    released = true;
    eof = true;
    discardingLine = false;
    clear();
    wake();
  }

  /** The connection's loop thread, where this reader's state lives. */
  @Override
  public LoopThread loopThread() {
    return loop;
  }

  /** Bytes held in the buffer now. Any thread. */
  int bufferedBytes() {
    return size();
  }

  /** Whether the reader asked the socket to stop reading. */
  boolean isPaused() {
    return paused;
  }

  /** Whether a read is waiting for data. */
  boolean hasWaiter() {
    return waiter() != null;
  }

  /** The read waiting for data, or null. */
  PendingRead<?> waiter() {
    Object w = waiterOrError;
    return w instanceof PendingRead ? (PendingRead<?>) w : null;
  }

  private void wake() {
    PendingRead<?> w = waiter();
    if (w != null) {
      w.attempt();
    }
    updateFlow();
  }

  /** The read {@code read} stopped waiting (it settled, or was cancelled); loop thread only. */
  void waiterGone(PendingRead<?> read) {
    if (waiterOrError == read) {
      setWaiterOrError(null);
    }
  }

  /** asyncio's pause/resume rules, plus: a read that must wait turns reading on. */
  void updateFlow() {
    // After EOF nothing more comes from the socket: leave autoRead alone (epoll may already have
    // dropped the half-closed socket's read interest, and re-arming it fails).
    if (flow == null || released || eof || waiterOrError instanceof ErrorAfterData) {
      return;
    }
    int size = size();
    boolean waiting = waiter() != null;
    if (paused && (waiting || size <= limit)) {
      paused = false;
      flow.resumeReading();
    } else if (!paused && !waiting && size > 2 * limit) {
      paused = true;
      flow.pauseReading();
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Promise<byte[]> read(int n) {
    checkSize(n, -1, "read");
    if (n > 0 && readsAtOnce()) {
      byte[] bytes = readBytes(Math.min(n, size()));
      updateFlow();
      return loop.completed(bytes);
    }
    return (n == -1 ? new Reads.ReadAll(this) : new Reads.Read(this, n)).submit();
  }

  @Override
  public Promise<byte[]> readExactly(int n) {
    checkSize(n, 0, "readExactly");
    return new Reads.ReadExactly(this, n).submit();
  }

  @Override
  public Promise<byte[]> readLine() {
    return new Reads.ReadUntil(this, LINE_SEPARATOR, true).submit();
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
    return new Reads.ReadUntil(this, sorted, false).submit();
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
    if (n > 0 && readsAtOnce()) {
      ByteBuf out = readRetained(Math.min(n, size()));
      updateFlow();
      return loop.completed(out);
    }
    return new Reads.ReadBuf(this, n).submit();
  }

  /**
   * Whether a {@code read(n)} or {@code readBuf(n)} with {@code n > 0} completes now with
   * buffered bytes: on the loop thread, bytes buffered, no read waiting and no error. That is
   * the common read of a busy connection, and it then returns a promise settled from the start,
   * with none of a pending read's work (the read object, its atomic settling). The outcome is
   * the one {@link Reads.Read} and {@link Reads.ReadBuf} would give.
   */
  private boolean readsAtOnce() {
    return loop.inEventLoop() && waiterOrError == null && !isEmpty();
  }

  @Override
  public boolean atEof() {
    return eof && isEmpty();
  }

  @Override
  public int limit() {
    return limit;
  }

  private void setWaiterOrError(Object value) {
    WAITER_OR_ERROR.lazySet(this, value);
  }

  @Override
  public Throwable exception() {
    Object e = waiterOrError;
    return e instanceof Throwable ? (Throwable) e
        : e instanceof ErrorAfterData ? ((ErrorAfterData) e).error : null;
  }

  /** Whether reads get the buffered bytes before {@link #exception()} (see {@link #endWithError}). */
  boolean deliversBufferFirst() {
    return waiterOrError instanceof ErrorAfterData;
  }

  /** The error the input ended with, once the bytes buffered before it are read. */
  private static final class ErrorAfterData {
    final Throwable error;

    ErrorAfterData(Throwable error) {
      this.error = error;
    }
  }

  private static void checkSize(int n, int min, String method) {
    if (n < min) {
      throw new IllegalArgumentException(method + " size can not be less than " + min + ": " + n);
    }
  }

  /**
   * Starts {@code read} ({@link PendingRead#submit()} calls it: at once on the loop thread, where
   * with the bytes already buffered it settles before the read method returns, so the common read
   * costs one object and no hop; from another thread the read hops itself, and fails if the loop
   * has shut down): settles it from the buffer, or makes it the waiter. Loop thread only.
   */
  void start(PendingRead<?> read) {
    if (read.isDone()) {
      return; // cancelled before it reached the loop
    }
    if (waiter() != null) {
      // asyncio: "readuntil() called while another coroutine is already waiting for incoming data"
      read.fail(new IllegalStateException(read.method() + " called while another read is pending on " + this));
      return;
    }
    if (!read.attempt()) {
      setWaiterOrError(read); // a cancel from now on drops it (PendingRead.onCancelled)
    }
    updateFlow();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("StreamReader[").append(size()).append(" bytes");
    if (eof) {
      b.append(", eof");
    }
    Throwable exception = exception();
    if (exception != null) {
      b.append(", exception=").append(exception);
    }
    if (paused) {
      b.append(", paused");
    }
    return b.append(", limit=").append(limit).append(']').toString();
  }
}
