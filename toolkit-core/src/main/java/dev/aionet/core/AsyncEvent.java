package dev.aionet.core;

import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.WaiterQueue;
import java.util.List;

/**
 * A flag tasks can wait for: asyncio's {@code Event}. {@link #set()} wakes every waiter;
 * {@link #clear()} makes later {@link #await()} calls wait again.
 *
 * <p><b>Cancellation.</b> Cancelling an {@link #await()} promise removes its waiter; nothing else
 * is affected.
 *
 * <p><b>Threading.</b> May be shared by tasks on any loop threads (see the package documentation, "Threads"); each waiter
 * resumes on the loop thread that called {@code await()}.
 */
public final class AsyncEvent {
  private final WaiterQueue<Void> waiters = new WaiterQueue<>();
  private boolean flag;

  /** Creates an event that is not set. */
  public AsyncEvent() {}

  /** Sets the flag and wakes every waiter; later {@link #await()} calls succeed at once. */
  public void set() {
    List<LeafPromise<Void>> woken;
    synchronized (this) {
      if (flag) {
        return;
      }
      flag = true;
      woken = waiters.drainPending();
    }
    WaiterQueue.completeAll(woken, null);
  }

  /** Clears the flag: later {@link #await()} calls wait for the next {@link #set()}. */
  public synchronized void clear() {
    flag = false;
  }

  /**
   * Whether the flag is set.
   *
   * @return whether set
   */
  public synchronized boolean isSet() {
    return flag;
  }

  /**
   * Returns a promise that succeeds once the flag is set: at once (already succeeded) when it is
   * set now. The promise does not block (asyncio's {@code Event.wait()}; {@code Object.wait} is
   * final, hence the name).
   *
   * @return a promise that succeeds once the flag is set
   */
  public Promise<Void> await() {
    LeafPromise<Void> waiter;
    synchronized (this) {
      if (flag) {
        return Promise.completed(null);
      }
      waiter = waiters.enqueue();
    }
    return WaiterQueue.await(waiter, v -> null, () -> {}, () -> withdraw(waiter));
  }

  private synchronized void withdraw(LeafPromise<Void> waiter) {
    waiters.remove(waiter);
  }

  /** Queued waiters, cancelled ones not yet removed included. */
  synchronized int waiterCount() {
    return waiters.size();
  }

  @Override
  public String toString() {
    return "AsyncEvent[" + (isSet() ? "set" : "unset") + ", waiters:" + waiterCount() + "]";
  }
}
