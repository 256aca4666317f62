package dev.aionet.core.internal;

import dev.aionet.core.Promise;

/**
 * A counter of permits with a FIFO of waiters: the engine of {@code AsyncLock} (one permit),
 * {@code AsyncSemaphore} and {@code AsyncBoundedSemaphore}, after asyncio's {@code Semaphore}
 * ({@code locks.py}, 3.13).
 *
 * <p>A release while tasks wait hands the permit straight to the first waiter (asyncio's
 * {@code _wake_up_next} decrements the value when it wakes one), so a newcomer never jumps the
 * queue, even when the woken task has not run yet. A waiter that is cancelled after it was handed
 * the permit gives it back, and the next waiter gets it. Thread-safe: the state is guarded by this
 * object's monitor and waiters are completed outside it.
 */
public final class Permits {
  private final int bound;
  private final String overReleaseMessage;
  private final WaiterQueue<Void> waiters = new WaiterQueue<>();
  private int value;

  /**
   * @param initial the permits available at first
   * @param bound the most permits there may be ({@link Integer#MAX_VALUE}: no bound); a release
   *     beyond it throws {@code IllegalStateException(overReleaseMessage)}
   */
  public Permits(int initial, int bound, String overReleaseMessage) {
    this.value = initial;
    this.bound = bound;
    this.overReleaseMessage = overReleaseMessage;
  }

  /** Takes a permit at once when one is free and nobody waits, else waits in FIFO order. */
  public Promise<Void> acquire() {
    LeafPromise<Void> waiter;
    synchronized (this) {
      if (value > 0 && !waiters.hasPending()) {
        value--;
        return Promises.completed(null);
      }
      waiter = waiters.enqueue();
    }
    return WaiterQueue.await(waiter, granted -> null, this::giveBack, () -> withdraw(waiter));
  }

  /** Returns a permit: the first waiter gets it, else the count goes up. */
  public void release() {
    LeafPromise<Void> next;
    synchronized (this) {
      if (value >= bound) {
        throw new IllegalStateException(overReleaseMessage);
      }
      value++;
      next = grant();
    }
    deliver(next);
  }

  /** A permit handed to a waiter whose caller was cancelled before it resumed. */
  private void giveBack() {
    LeafPromise<Void> next;
    synchronized (this) {
      value++;
      next = grant();
    }
    deliver(next);
  }

  private synchronized void withdraw(LeafPromise<Void> waiter) {
    waiters.remove(waiter);
  }

  /** Under the monitor: moves a free permit to the first pending waiter, returned for completion. */
  private LeafPromise<Void> grant() {
    if (value == 0) {
      return null;
    }
    LeafPromise<Void> waiter = waiters.pollPending();
    if (waiter != null) {
      value--;
    }
    return waiter;
  }

  /** Outside the monitor: completes granted waiters until one was not cancelled meanwhile. */
  private void deliver(LeafPromise<Void> waiter) {
    while (waiter != null && !waiter.complete(null)) {
      synchronized (this) {
        value++;
        waiter = grant();
      }
    }
  }

  /** The permits free now (permits handed to woken waiters are not free). */
  public synchronized int available() {
    return value;
  }

  /** asyncio's {@code locked()}: no free permit, or a task that is not cancelled waits. */
  public synchronized boolean locked() {
    return value == 0 || waiters.hasPending();
  }

  /** Queued waiters, for tests. */
  public synchronized int waiterCount() {
    return waiters.size();
  }
}
