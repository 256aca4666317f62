package dev.aionet.core;

import dev.aionet.core.internal.Guarded;
import dev.aionet.core.internal.Permits;

/**
 * A mutual-exclusion lock for tasks: asyncio's {@code Lock}. It is not owned by a task or a
 * thread; {@link #release()} may be called by anyone while it is locked.
 *
 * <pre>{@code
 * AsyncLock lock = new AsyncLock();
 * Promise<Integer> n = lock.withLock(() -> readModifyWrite());   // released however the body ends
 * }</pre>
 *
 * <p><b>Fairness.</b> Waiters acquire in FIFO order. A {@link #release()} while tasks wait hands
 * the lock straight to the first of them, so a newcomer never jumps the queue, and
 * {@link #isLocked()} stays true during the hand-over (asyncio reports {@code False} until the
 * woken task runs; the observable order is the same).
 *
 * <p><b>Cancellation.</b> Cancelling an {@link #acquire()} promise withdraws its waiter. If the
 * lock had already been handed to it, it is passed on to the next waiter (or unlocked), so a
 * cancelled waiter never keeps the lock or loses the wake-up (asyncio {@code _wake_up_first}).
 *
 * <p><b>Threading.</b> A lock may be shared by tasks on any loop threads; its constructor takes
 * no loop (see the package documentation, "Threads"). A waiter resumes on the loop thread that called {@link #acquire()};
 * called off every loop, {@code acquire()} returns a promise owned by no loop, which a plain
 * thread may {@code join()}.
 */
public final class AsyncLock {
  private final Permits permits = new Permits(1, 1, "Lock is not acquired.");

  /** Creates an unlocked lock. */
  public AsyncLock() {}

  /**
   * Returns a promise that succeeds once this caller holds the lock: at once (already succeeded)
   * when the lock is free and nobody waits, else after the waiters ahead of it.
   *
   * @return a promise that succeeds once the lock is held
   */
  public Promise<Void> acquire() {
    return permits.acquire();
  }

  /**
   * Releases the lock; the first waiter, if any, gets it.
   *
   * @throws IllegalStateException {@code "Lock is not acquired."} when it is not locked
   */
  public void release() {
    permits.release();
  }

  /**
   * Whether the lock is held (or being handed to a woken waiter).
   *
   * @return whether locked
   */
  public boolean isLocked() {
    return permits.available() == 0;
  }

  /**
   * Acquires the lock, runs {@code body}, and releases the lock once the body's promise has
   * settled, with the body's outcome: asyncio's {@code async with lock}. The lock is released on
   * success, on failure (also when {@code body} throws) and on cancellation; cancelling the
   * returned promise cancels the acquisition or, once the body runs, the body's promise.
   *
   * @param body what to run holding the lock
   * @param <T> the body's value type
   * @return a promise settling like the body, after the release
   */
  public <T> Promise<T> withLock(Coroutine<T> body) {
    return Guarded.start(acquire(), body, this::release);
  }

  /** Queued waiters, cancelled ones not yet removed included. */
  int waiterCount() {
    return permits.waiterCount();
  }

  @Override
  public String toString() {
    return "AsyncLock[" + (isLocked() ? "locked" : "unlocked") + ", waiters:" + waiterCount() + "]";
  }
}
