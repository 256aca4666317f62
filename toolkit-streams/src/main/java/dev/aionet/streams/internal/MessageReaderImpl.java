package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopRequest;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.MessageReader;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The {@link MessageReader} of one connection: a queue of decoded messages fed by the
 * {@link MessageAdapter}, and at most one pending read.
 *
 * <pre>
 *   socket ─► [SslHandler] ─► user handlers ─► codec ─► MessageAdapter ─► queue ─► the pending read
 *                                                           ▲               │
 *                                                           └── autoRead off at messageLimit queued,
 *                                                               on again at half of it or when a read waits
 * </pre>
 *
 * <p>A message leaves the queue only by completing a read whose caller gets it: a read that
 * cannot be completed (it was cancelled from another thread a moment before) puts the message
 * back first. All state is confined to the connection's loop thread; reads hop there.
 *
 * @param <I> the message type
 */
public final class MessageReaderImpl<I> implements MessageReader<I>, ReaderSide {
  private final LoopThread loop;
  private final int limit;
  private final ReadFlow flow;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  /** The queue's size, readable from any thread. */
  private volatile int queued;
  private volatile boolean eof;
  private volatile Throwable error;
  /** The writer closed the connection: input is released from now on. */
  private boolean released;
  private boolean paused;
  private PendingMessage<I> waiter;

  MessageReaderImpl(LoopThread loop, int limit, ReadFlow flow) {
    if (limit <= 0) {
      throw new IllegalArgumentException("messageLimit must be positive: " + limit);
    }
    this.loop = Objects.requireNonNull(loop, "loop");
    this.limit = limit;
    this.flow = flow;
  }

  // ---------------------------------------------------------------- fed by the adapter (loop thread)

  /** Queues a decoded message, taking ownership. */
  void feed(Object message) {
    if (released || eof) {
      ReferenceCountUtil.release(message); // a read that raced with close
      return;
    }
    queue.add(message);
    queued++;
    wake();
  }

  /** The peer closed its side: reads return null once the queue is empty. */
  void feedEof() {
    eof = true;
    wake();
  }

  /** Fails every read from now on with {@code failure}, queued messages notwithstanding. */
  void setException(Throwable failure) {
    error = Objects.requireNonNull(failure, "failure");
    wake();
  }

  @Override
  public void release() {
    released = true;
    eof = true;
    for (Object m; (m = queue.poll()) != null; ) {
      ReferenceCountUtil.release(m);
    }
    queued = 0;
    wake();
  }

  @Override
  public LoopThread loopThread() {
    return loop;
  }

  private void wake() {
    PendingMessage<I> w = waiter;
    if (w != null) {
      waiter = null; // first: the read's continuation may read again, inline
      if (!attempt(w)) {
        waiter = w;
      }
    }
    updateFlow();
  }

  /** Pauses at {@code limit} queued messages, resumes at half of it or when a read must wait. */
  private void updateFlow() {
    if (flow == null || released || eof) {
      return;
    }
    int size = queue.size();
    boolean waiting = waiter != null;
    if (paused && (waiting || size <= limit / 2)) {
      paused = false;
      flow.resumeReading();
    } else if (!paused && !waiting && size >= limit) {
      paused = true;
      flow.pauseReading();
    }
  }

  /** Whether the reader asked the socket to stop reading. */
  boolean isPaused() {
    return paused;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Promise<I> read() {
    return new PendingMessage<>(this).submit(); // from another thread it hops, and fails on a closed loop
  }

  private void start(PendingMessage<I> read) {
    if (read.isDone()) {
      return; // cancelled before it reached the loop
    }
    if (waiter != null) {
      read.fail(new IllegalStateException("read() called while another read is pending on " + this));
      return;
    }
    if (!attempt(read)) {
      waiter = read;
    }
    updateFlow();
  }

  /** Settles {@code read} if the queue allows; a message it cannot take goes back first. */
  @SuppressWarnings("unchecked")
  private boolean attempt(PendingMessage<I> read) {
    Throwable e = error;
    if (e != null) {
      read.fail(e);
      return true;
    }
    Object m = queue.poll();
    if (m != null) {
      queued--;
      if (!read.complete((I) m)) {
        queue.addFirst(m); // cancelled meanwhile: the next read gets it
        queued++;
      }
      return true;
    }
    if (eof) {
      read.complete(null);
      return true;
    }
    return false;
  }

  private void dropWaiter(PendingMessage<I> read) {
    if (waiter == read) {
      waiter = null;
      updateFlow();
    }
  }

  @Override
  public boolean atEof() {
    return eof && queued == 0;
  }

  @Override
  public int queued() {
    return queued;
  }

  @Override
  public Throwable exception() {
    return error;
  }

  @Override
  public String toString() {
    return "MessageReader[" + queued + " queued" + (eof ? ", eof" : "") + (error != null ? ", exception=" + error : "")
        + (paused ? ", paused" : "") + ", messageLimit=" + limit + "]";
  }

  /** One read and its promise; cancelling it while it waits stops the wait. */
  private static final class PendingMessage<I> extends LoopRequest<I> {
    private final MessageReaderImpl<I> reader;

    PendingMessage(MessageReaderImpl<I> reader) {
      super(reader.loop);
      this.reader = reader;
    }

    @Override
    public void run() {
      reader.start(this);
    }

    @Override
    protected void stopWaiting() {
      reader.dropWaiter(this);
    }

    @Override
    public String toString() {
      return "read() on " + reader + ": " + super.toString();
    }
  }
}
