package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopRequest;
import dev.aionet.core.internal.LoopThread;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Received items (datagrams, decoded messages) waiting for a consumer, and the consumer's one
 * pending {@link #receive()}: the message-sized sibling of the stream reader's byte buffer, and
 * the one queue both datagram endpoints and message readers take their items from.
 *
 * <pre>
 *   channelRead ─► add(item) ─┬─► the pending receive, if any (completed inline)
 *                              └─► else the FIFO, until receive() takes it
 *   failNext(error) ─► the pending receive, else the next one (once, ahead of the items)
 *   failAll(error)  ─► the pending receive and every later one (the items stay unread)
 *   end(discard)    ─► the receives after the items (or at once, when discarded) get null
 * </pre>
 *
 * <p><b>Cancellation loses nothing.</b> An item is taken out of the queue only by completing a
 * receive with it; if that completion fails because the receive was cancelled meanwhile (from
 * another thread), the item goes back to the head. The same holds for a pending error. This is
 * the rule of the stream reader's reads and of {@code AsyncQueue.get}.
 *
 * <p>The queue itself holds as many items as it is given: the owner bounds it, by dropping
 * ({@link #size()} against its capacity) or by stopping reads ({@link #changed()} tells a subclass
 * whenever the size or the pending receive changed). Everything except {@link #receive()} (and
 * the cancellation of what it returns) and the getters is confined to the owning loop thread.
 *
 * @param <T> the item type
 */
public class ReceiveQueue<T> {
  private final LoopThread loop;
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private Receive pending;
  /** An error for the next receive only ({@link #failNext}). */
  private Throwable error;
  /** The error of every receive from now on ({@link #failAll}); readable from any thread. */
  private volatile Throwable failure;
  /** The number of queued items, readable from any thread; written on the loop thread only. */
  private volatile int size;
  private volatile boolean ended;

  /**
   * Creates an empty queue.
   *
   * @param loop the owning loop thread; receives run and settle there
   */
  public ReceiveQueue(LoopThread loop) {
    this.loop = Objects.requireNonNull(loop, "loop");
  }

  /** The owning loop thread. */
  public final LoopThread loopThread() {
    return loop;
  }

  /** Hands {@code item} to the pending receive, else queues it; after {@link #end} discards it. */
  public final void add(T item) {
    if (ended) {
      discard(item);
      return;
    }
    Receive r = pending;
    if (r != null) {
      pending = null;
      if (r.complete(item)) {
        changed();
        return;
      }
    }
    items.addLast(item); // nobody waits (or the waiter was cancelled): the queue was empty
    size++;
    changed();
  }

  /** Fails the pending receive with {@code e}, else the next one; an error already waiting wins. */
  public final void failNext(Throwable e) {
    Objects.requireNonNull(e, "e");
    Receive r = pending;
    if (r != null) {
      pending = null;
      if (r.fail(e)) {
        changed();
        return;
      }
    }
    if (error == null) {
      error = e;
    }
    changed();
  }

  /**
   * Fails the pending receive and every later one with {@code e}, items queued notwithstanding
   * (they stay until {@link #end end(true)} discards them): the source broke. The first such
   * error stays.
   */
  public final void failAll(Throwable e) {
    Objects.requireNonNull(e, "e");
    if (failure == null) {
      failure = e;
    }
    Receive r = pending;
    if (r != null) {
      pending = null;
      r.fail(failure); // a receive cancelled meanwhile loses nothing: the error stays for the next
    }
    changed();
  }

  /**
   * No more items will come: once the queued ones are taken (at once when {@code discardQueued}
   * is set, which discards them), every receive completes with {@code null}. Idempotent.
   */
  public final void end(boolean discardQueued) {
    ended = true;
    if (discardQueued) {
      T item;
      while ((item = items.pollFirst()) != null) {
        discard(item);
      }
      size = 0;
    }
    Receive r = pending;
    if (r != null && items.isEmpty()) {
      pending = null;
      r.complete(null);
    }
    changed();
  }

  /** The number of queued items. Any thread. */
  public final int size() {
    return size;
  }

  /** Whether a receive is waiting for an item. Loop thread. */
  public final boolean hasPending() {
    return pending != null;
  }

  /** Whether {@link #end} was called. Any thread. */
  public final boolean isEnded() {
    return ended;
  }

  /** The error of {@link #failAll}, or null. Any thread. */
  public final Throwable failure() {
    return failure;
  }

  /** What to do with an item nobody will receive (e.g. release a ref-counted one). Loop thread. */
  protected void discard(T item) {}

  /** Called on the loop thread after the size or the pending receive changed. */
  protected void changed() {}

  /** Names the queue's owner in error messages and {@link #toString()}. */
  protected String owner() {
    return "ReceiveQueue";
  }

  /** Names the receive call in error messages. */
  protected String receiveCall() {
    return "receive()";
  }

  /**
   * Returns a promise of the next item: the oldest queued one, else the next {@link #add}ed, or
   * {@code null} after {@link #end}. An error fails it instead (a {@link #failNext} error once,
   * a {@link #failAll} error always); a receive made while another one is pending fails with
   * {@link IllegalStateException}. Any thread; on the loop thread with an item queued it completes
   * before it returns.
   *
   * @return the promise, owned by the queue's loop thread
   */
  public final Promise<T> receive() {
    return new Receive().submit(); // from another thread it hops, and fails on a closed loop
  }

  private void start(Receive r) {
    if (r.isDone()) {
      return; // cancelled before it reached the loop
    }
    if (pending != null) {
      r.fail(new IllegalStateException(receiveCall() + " called while another " + receiveCall() + " is pending on "
          + this));
      return;
    }
    if (takeError(r) || takeItem(r)) {
      return;
    }
    if (ended) {
      r.complete(null);
      return;
    }
    pending = r;
    changed();
  }

  /** Fails {@code r} with the error waiting, if any (a one-shot error stays if {@code r} was cancelled). */
  private boolean takeError(Receive r) {
    Throwable f = failure;
    if (f != null) {
      r.fail(f);
      return true;
    }
    Throwable e = error;
    if (e != null) {
      error = null;
      if (!r.fail(e)) {
        error = e;
      }
      return true;
    }
    return false;
  }

  /** Completes {@code r} with the oldest item, if any; it goes back first if {@code r} was cancelled. */
  private boolean takeItem(Receive r) {
    T item = items.pollFirst();
    if (item == null) {
      return false;
    }
    size--; // first: the receive's continuation may look, or receive again, inline
    if (r.complete(item)) {
      changed();
    } else {
      items.addFirst(item);
      size++;
    }
    return true;
  }

  @Override
  public String toString() {
    return owner() + "[" + size + " queued" + (pending != null ? ", " + receiveCall() + " pending" : "")
        + (ended ? ", ended" : "") + (failure != null ? ", failed: " + failure : "") + "]";
  }

  /** One receive and its promise (one object). A cancel drops it from {@link #pending}. */
  private final class Receive extends LoopRequest<T> {
    Receive() {
      super(loop);
    }

    @Override
    public void run() {
      start(this);
    }

    @Override
    protected void stopWaiting() {
      if (pending == this) {
        pending = null;
        changed();
      }
    }

    @Override
    public String toString() {
      return "receive() on " + ReceiveQueue.this + ": " + super.toString();
    }
  }
}
