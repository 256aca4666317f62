package dev.aionet.streams.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.internal.LoopRequest;
import dev.aionet.core.internal.LoopThread;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Received items (datagrams, decoded messages) waiting for a consumer, and the consumer's one
 * pending {@link #receive()}: the message-sized sibling of the stream reader's byte buffer.
 *
 * <pre>
 *   channelRead ─► add(item) ─┬─► the pending receive, if any (completed inline)
 *                              └─► else the FIFO, until receive() takes it
 *   failNext(error) ─► the pending receive, else the next one (once, ahead of the items)
 *   end(discard)    ─► the receives after the items (or at once, when discarded) get null
 * </pre>
 *
 * <p><b>Cancellation loses nothing.</b> An item is taken out of the queue only by completing a
 * receive with it; if that completion fails because the receive was cancelled meanwhile (from
 * another thread), the item goes back to the head. The same holds for a pending error. This is
 * the rule of the stream reader's reads and of {@code AsyncQueue.get}.
 *
 * <p>The queue itself holds as many items as it is given: the owner bounds it, by dropping
 * ({@link #size()} against its capacity) or by stopping reads. {@link #taken()} tells a subclass
 * when an item left, e.g. to resume reading. Everything except {@link #receive()} (and the
 * cancellation of what it returns) is confined to the owning loop thread.
 *
 * @param <T> the item type
 */
public class ReceiveQueue<T> {
  private final LoopThread loop;
  private final Consumer<? super T> discard;
  private final String owner;
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private Receive pending;
  private Throwable error;
  private boolean ended;

  /**
   * Creates an empty queue.
   *
   * @param loop the owning loop thread; receives run and settle there
   * @param discard what to do with an item nobody will receive (e.g. release a ref-counted one)
   * @param owner names the owner in error messages, e.g. {@code "DatagramEndpoint"}
   */
  public ReceiveQueue(LoopThread loop, Consumer<? super T> discard, String owner) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.discard = Objects.requireNonNull(discard, "discard");
    this.owner = Objects.requireNonNull(owner, "owner");
  }

  /** Hands {@code item} to the pending receive, else queues it; after {@link #end} discards it. */
  public final void add(T item) {
    if (ended) {
      discard.accept(item);
      return;
    }
    Receive r = pending;
    if (r != null) {
      pending = null;
      if (r.complete(item)) {
        taken();
        return;
      }
    }
    items.addLast(item); // nobody waits (or the waiter was cancelled): the queue was empty
  }

  /** Fails the pending receive with {@code e}, else the next one; an error already waiting wins. */
  public final void failNext(Throwable e) {
    Objects.requireNonNull(e, "e");
    Receive r = pending;
    if (r != null) {
      pending = null;
      if (r.fail(e)) {
        return;
      }
    }
    if (error == null) {
      error = e;
    }
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
        discard.accept(item);
      }
    }
    Receive r = pending;
    if (r != null && items.isEmpty()) {
      pending = null;
      r.complete(null);
    }
  }

  /** The number of queued items. Loop thread. */
  public final int size() {
    return items.size();
  }

  /** Whether a receive is waiting for an item. Loop thread. */
  public final boolean hasPending() {
    return pending != null;
  }

  /** Called on the loop thread each time an item left the queue for a receive. */
  protected void taken() {}

  /**
   * Returns a promise of the next item: the oldest queued one, else the next {@link #add}ed, or
   * {@code null} after {@link #end}. A pending error fails it instead (once); a receive made
   * while another one is pending fails with {@link IllegalStateException}. Any thread; on the loop
   * thread with an item queued it completes before it returns.
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
      r.fail(new IllegalStateException("receive() called while another receive() is pending on " + owner));
      return;
    }
    Throwable e = error;
    if (e != null) {
      error = null;
      if (!r.fail(e)) {
        error = e;
      }
      return;
    }
    T item = items.pollFirst();
    if (item != null) {
      if (r.complete(item)) {
        taken();
      } else {
        items.addFirst(item);
      }
      return;
    }
    if (ended) {
      r.complete(null);
      return;
    }
    pending = r;
  }

  @Override
  public String toString() {
    return owner + "[" + items.size() + " queued" + (pending != null ? ", receive pending" : "")
        + (ended ? ", ended" : "") + "]";
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
      }
    }

    @Override
    public String toString() {
      return "receive() on " + ReceiveQueue.this + ": " + super.toString();
    }
  }
}
