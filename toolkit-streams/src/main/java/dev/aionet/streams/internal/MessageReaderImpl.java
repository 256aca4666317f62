package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.streams.MessageReader;
import io.netty.util.ReferenceCountUtil;

/**
 * The {@link MessageReader} of one connection: a {@link ReceiveQueue} of decoded messages fed by
 * the {@link MessageAdapter}, which pauses and resumes the socket's reading by how full it is.
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
 * back first (the queue's rule). A broken connection fails every read from then on, messages
 * queued notwithstanding; they are released when the writer closes. All state is confined to
 * the connection's loop thread; reads hop there.
 *
 * @param <I> the message type
 */
public final class MessageReaderImpl<I> extends ReceiveQueue<I> implements MessageReader<I>, ReaderSide {
  private final int limit;
  private final ReadFlow flow;
  private boolean paused;

  MessageReaderImpl(LoopThread loop, int limit, ReadFlow flow) {
    super(loop);
    if (limit <= 0) {
      throw new IllegalArgumentException("messageLimit must be positive: " + limit);
    }
    this.limit = limit;
    this.flow = flow;
  }

  // ---------------------------------------------------------------- fed by the adapter (loop thread)

  /** Queues a decoded message of the codec's inbound type, taking ownership. */
  @SuppressWarnings("unchecked")
  void feed(Object message) {
    add((I) message);
  }

  /** The peer closed its side, or the connection is gone: reads return null once the queue is empty. */
  void feedEof() {
    end(false);
  }

  /** Fails every read from now on with {@code failure}, queued messages notwithstanding. */
  void setException(Throwable failure) {
    failAll(failure);
  }

  /** The writer closed the connection: queued and later messages are released; reads see EOF. */
  @Override
  public void release() {
    end(true);
  }

  @Override
  protected void discard(I message) {
    ReferenceCountUtil.release(message); // queued at close, or a read that raced with it
  }

  /** Pauses at {@code limit} queued messages, resumes at half of it or when a read must wait. */
  @Override
  protected void changed() {
    if (flow == null || isEnded()) {
      return;
    }
    int size = size();
    boolean waiting = hasPending();
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
    return receive();
  }

  @Override
  public boolean atEof() {
    return isEnded() && size() == 0;
  }

  @Override
  public int queued() {
    return size();
  }

  @Override
  public Throwable exception() {
    return failure();
  }

  @Override
  protected String owner() {
    return "MessageReader";
  }

  @Override
  protected String receiveCall() {
    return "read()";
  }

  @Override
  public String toString() {
    return super.toString() + (paused ? "[paused, messageLimit=" : "[messageLimit=") + limit + "]";
  }
}
