package dev.aionet.core;

import dev.aionet.core.internal.Permits;

/**
 * A counter of permits for tasks: asyncio's {@code Semaphore}. {@link #acquire()} takes a permit
 * or waits for one; {@link #release()} returns one.
 *
 * <pre>{@code
 * AsyncSemaphore limit = new AsyncSemaphore(10);             // at most 10 downloads at a time
 * Promise<byte[]> body = limit.acquire()
 *     .thenCompose(ok -> download(url))
 *     .whenComplete((v, e) -> limit.release());
 * }</pre>
 *
 * <p><b>Fairness.</b> FIFO: while any task waits, a newcomer waits too, even if a permit is free
 * (asyncio 3.13). A release hands the permit straight to the first waiter.
 *
 * <p><b>Cancellation.</b> A cancelled {@link #acquire()} never keeps or swallows a permit: if one
 * had already been handed to it, it goes to the next waiter (or back to the count).
 *
 * <p><b>Threading.</b> May be shared by tasks on any loop threads (see the package documentation, "Threads"); a waiter
 * resumes on the loop thread that called {@code acquire()}.
 */
public class AsyncSemaphore {
  private final Permits permits;

  /**
   * Creates a semaphore with {@code value} permits.
   *
   * @param value the permits available at first
   * @throws IllegalArgumentException if {@code value < 0}
   */
  public AsyncSemaphore(int value) {
    this(value, Integer.MAX_VALUE, "Semaphore released too many times");
  }

  AsyncSemaphore(int value, int bound, String overReleaseMessage) {
    if (value < 0) {
      throw new IllegalArgumentException("Semaphore initial value must be >= 0: " + value);
    }
    this.permits = new Permits(value, bound, overReleaseMessage);
  }

  /**
   * Returns a promise that succeeds once a permit is taken for this caller: at once when one is
   * free and nobody waits, else in FIFO order.
   *
   * @return a promise that succeeds once a permit is taken
   */
  public Promise<Void> acquire() {
    return permits.acquire();
  }

  /** Returns a permit: the first waiter gets it, else the count goes up. */
  public void release() {
    permits.release();
  }

  /**
   * Whether an {@link #acquire()} now would wait: no permit is free, or a task that is not
   * cancelled waits (asyncio's {@code locked()}).
   *
   * @return whether an acquire would wait
   */
  public boolean locked() {
    return permits.locked();
  }

  /**
   * The permits free now; a permit handed to a woken waiter is not free.
   *
   * @return the free permits
   */
  public int available() {
    return permits.available();
  }

  /** Queued waiters, cancelled ones not yet removed included. */
  int waiterCount() {
    return permits.waiterCount();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[available:" + available() + ", waiters:" + waiterCount() + "]";
  }
}
