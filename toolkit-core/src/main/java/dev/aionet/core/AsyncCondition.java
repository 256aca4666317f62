package dev.aionet.core;

import dev.aionet.core.internal.ConditionWait;
import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.WaiterQueue;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for tasks: asyncio's {@code Condition}. It pairs an {@link AsyncLock}
 * with waiters that {@link #await()} a {@link #signal()}.
 *
 * <pre>{@code
 * AsyncCondition ready = new AsyncCondition();
 * // consumer
 * ready.withLock(() -> ready.awaitUntil(() -> !jobs.isEmpty()).thenApply(v -> jobs.poll()));
 * // producer
 * ready.withLock(() -> { jobs.add(job); ready.signal(); return Promise.completed(null); });
 * }</pre>
 *
 * <p>Waiters are woken in FIFO order. {@link #await()} releases the lock while it waits and
 * re-acquires it before its promise settles, even when it is cancelled (asyncio: "must re-acquire
 * lock even if wait is cancelled"), so the caller's {@code withLock} exit always releases a lock
 * it really holds. A waiter that was signalled but cancelled before it resumed passes the signal
 * on to another waiter (asyncio 3.13; spurious wake-ups are allowed, as for any condition
 * variable).
 *
 * <p><b>Threading.</b> May be shared by tasks on any loop threads (see the package documentation, "Threads"); each waiter
 * resumes on the loop thread that called {@code await()}.
 */
public final class AsyncCondition {
  private final AsyncLock lock;
  private final WaiterQueue<Void> waiters = new WaiterQueue<>();
  private final ConditionWait.Host host = new Host();

  /** Creates a condition with a new lock of its own. */
  public AsyncCondition() {
    this(new AsyncLock());
  }

  /**
   * Creates a condition over {@code lock}, which may be shared with other conditions.
   *
   * @param lock the lock to pair with
   */
  public AsyncCondition(AsyncLock lock) {
    this.lock = Objects.requireNonNull(lock, "lock");
  }

  /**
   * Acquires the underlying lock: {@link AsyncLock#acquire()}.
   *
   * @return a promise that succeeds once the lock is held
   */
  public Promise<Void> acquire() {
    return lock.acquire();
  }

  /**
   * Releases the underlying lock: {@link AsyncLock#release()}.
   *
   * @throws IllegalStateException when the lock is not held
   */
  public void release() {
    lock.release();
  }

  /**
   * Whether the underlying lock is held.
   *
   * @return whether locked
   */
  public boolean isLocked() {
    return lock.isLocked();
  }

  /**
   * Runs {@code body} holding the underlying lock: {@link AsyncLock#withLock}.
   *
   * @param body what to run holding the lock
   * @param <T> the body's value type
   * @return a promise settling like the body, after the release
   */
  public <T> Promise<T> withLock(Coroutine<T> body) {
    return lock.withLock(body);
  }

  /**
   * Returns a promise that succeeds once this waiter was signalled and has re-acquired the lock.
   * The lock must be held: it is released while waiting.
   *
   * <p>If the lock is not held, the promise fails at once with {@code IllegalStateException("cannot
   * wait on un-acquired lock")}. Cancelling the promise withdraws the waiter, but the promise
   * settles (as cancelled, with the last cancellation) only once the lock is held again.
   *
   * @return a promise that succeeds, lock held, after a signal
   */
  public Promise<Void> await() {
    if (!lock.isLocked()) {
      return Promise.failed(new IllegalStateException("cannot wait on un-acquired lock"));
    }
    return ConditionWait.start(host, null);
  }

  /**
   * Returns a promise that succeeds once {@code predicate} is true, checked with the lock held:
   * first at once, then after each signal (asyncio's {@code wait_for(predicate)}). The lock must
   * be held unless the predicate is already true. If the predicate throws, the promise fails with
   * that exception, lock held. Cancellation as for {@link #await()}.
   *
   * @param predicate what to wait for; called with the lock held, on the caller's loop thread
   * @return a promise that succeeds, lock held, once the predicate is true
   */
  public Promise<Void> awaitUntil(BooleanSupplier predicate) {
    Objects.requireNonNull(predicate, "predicate");
    try {
      if (predicate.getAsBoolean()) {
        return Promise.completed(null);
      }
    } catch (Throwable t) {
      return Promise.failed(t);
    }
    if (!lock.isLocked()) {
      return Promise.failed(new IllegalStateException("cannot wait on un-acquired lock"));
    }
    return ConditionWait.start(host, predicate);
  }

  /**
   * Wakes the first waiter, if any.
   *
   * @throws IllegalStateException {@code "cannot notify on un-acquired lock"} when the lock is not held
   */
  public void signal() {
    signal(1);
  }

  /**
   * Wakes up to {@code n} waiters, first come first woken (asyncio's {@code notify(n)}).
   *
   * @param n the most waiters to wake
   * @throws IllegalStateException {@code "cannot notify on un-acquired lock"} when the lock is not held
   */
  public void signal(int n) {
    if (!lock.isLocked()) {
      throw new IllegalStateException("cannot notify on un-acquired lock");
    }
    wake(n);
  }

  /**
   * Wakes every waiter (asyncio's {@code notify_all()}).
   *
   * @throws IllegalStateException {@code "cannot notify on un-acquired lock"} when the lock is not held
   */
  public void signalAll() {
    signal(Integer.MAX_VALUE);
  }

  /** Completes up to n pending waiters; one cancelled meanwhile does not count. */
  private void wake(int n) {
    int woken = 0;
    while (woken < n) {
      LeafPromise<Void> waiter;
      synchronized (this) {
        waiter = waiters.pollPending();
      }
      if (waiter == null) {
        return;
      }
      if (waiter.complete(null)) {
        woken++;
      }
    }
  }

  /** Queued waiters, cancelled ones not yet removed included. */
  synchronized int waiterCount() {
    return waiters.size();
  }

  /** The underlying lock's queued waiters, for tests. */
  int lockWaiterCount() {
    return lock.waiterCount();
  }

  @Override
  public String toString() {
    return "AsyncCondition[" + (isLocked() ? "locked" : "unlocked") + ", waiters:" + waiterCount() + "]";
  }

  /** What a {@link ConditionWait} needs of this condition. */
  private final class Host implements ConditionWait.Host {
    @Override
    public LeafPromise<Void> enqueueWaiter() {
      synchronized (AsyncCondition.this) {
        return waiters.enqueue();
      }
    }

    @Override
    public void withdraw(LeafPromise<Void> waiter) {
      synchronized (AsyncCondition.this) {
        waiters.remove(waiter);
      }
    }

    @Override
    public void notifyOne() {
      wake(1);
    }

    @Override
    public void release() {
      lock.release();
    }

    @Override
    public Promise<Void> acquire() {
      return lock.acquire();
    }
  }
}
