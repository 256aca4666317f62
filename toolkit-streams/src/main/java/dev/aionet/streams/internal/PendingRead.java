package dev.aionet.streams.internal;

import dev.aionet.core.internal.CancellableLeaf;
import io.netty.buffer.Unpooled;

/**
 * One read of a {@link StreamReaderImpl}, and the promise of its result (one object: most reads
 * settle at once). {@link #attempt()} settles it when the buffer allows, consuming only then; if
 * the promise was cancelled from another thread in the meantime, the consumed bytes go back;
 * cancelling a waiting read stops its wait. The kinds of read are in {@link Reads}.
 *
 * @param <T> the result type
 */
abstract class PendingRead<T> extends CancellableLeaf<T> {
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

  /** The promise was cancelled: stop waiting (on the loop thread). */
  @Override
  protected final void onCancelled() {
    if (reader.loopThread().inEventLoop()) {
      dropWaiter();
    } else {
      reader.loopThread().execute(this::dropWaiter);
    }
  }

  private void dropWaiter() {
    if (reader.waiter() == this) {
      reader.waiterGone(this);
      reader.updateFlow();
    }
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
