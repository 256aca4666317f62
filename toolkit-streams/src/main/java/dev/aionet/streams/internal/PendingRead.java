package dev.aionet.streams.internal;

import dev.aionet.core.internal.LoopRequest;
import io.netty.buffer.Unpooled;

/**
 * One read of a {@link StreamReaderImpl}, and the promise of its result (one object: most reads
 * settle at once). {@link #attempt()} settles it when the buffer allows, consuming only then; if
 * the promise was cancelled from another thread in the meantime, the consumed bytes go back;
 * cancelling a waiting read stops its wait. The kinds of read are in {@link Reads}. A read made
 * on another thread hops to the loop thread itself, and fails if a closed loop refuses it.
 *
 * @param <T> the result type
 */
abstract class PendingRead<T> extends LoopRequest<T> {
  /** The reader this read belongs to. */
  final StreamReaderImpl reader;

  PendingRead(StreamReaderImpl reader) {
    super(reader.loopThread());
    this.reader = reader;
  }

  /** The method's name for messages, e.g. {@code "read()"}. */
  abstract String method();

  /** Settles the read from the buffer if it can; returns whether it did. Loop thread only. */
  abstract boolean tryRead();

  /**
   * Settles the read if it can (with the reader's exception first, or, when the input ended with
   * an error after the buffered bytes, with what the buffer serves and else the error); returns
   * whether it did.
   */
  final boolean attempt() {
    Throwable error = reader.exception();
    if (error == null) {
      return tryRead();
    }
    if (!reader.deliversBufferFirst() || !tryRead()) {
      settleFailed(error);
    }
    return true;
  }

  final void settleFailed(Throwable error) {
    reader.waiterGone(this);
    fail(error);
  }

  @Override
  public final void run() {
    reader.start(this);
  }

  @Override
  protected final void stopWaiting() {
    if (reader.waiter() == this) {
      reader.waiterGone(this);
      reader.updateFlow();
    }
  }

  @Override
  public String toString() {
    return method() + " on " + reader + ": " + super.toString();
  }

  /** A read whose result is a byte array. */
  abstract static class OfBytes extends PendingRead<byte[]> {
    OfBytes(StreamReaderImpl reader) {
      super(reader);
    }

    /** Succeeds with bytes removed from the buffer; they go back if the read was cancelled. */
    final void succeed(byte[] bytes) {
      reader.waiterGone(this);
      if (!complete(bytes) && bytes.length > 0) {
        reader.addFirst(Unpooled.wrappedBuffer(bytes));
      }
    }

    /** Fails with bytes already removed from the buffer; they go back if nobody is waiting. */
    final void settleFailed(Throwable error, byte[] consumed) {
      reader.waiterGone(this);
      if (!fail(error) && consumed.length > 0) {
        reader.addFirst(Unpooled.wrappedBuffer(consumed));
      }
    }
  }
}
