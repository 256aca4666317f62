package dev.aionet.core.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.ThrowingFunction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The FIFO of tasks waiting in a synchronization primitive or queue: each waiter is a
 * {@link LeafPromise} owned by the loop thread of the caller that had to wait (or by no loop when
 * the caller is on none), so it resumes there whichever thread completes it.
 *
 * <p>A WaiterQueue is not thread-safe: its owner guards it with its own monitor, and never
 * completes a waiter while holding that monitor (a completion may run the waiter's continuation
 * inline, which takes the monitor again).
 *
 * <p><b>Grants.</b> A primitive wakes a waiter by <em>granting</em> it what it waits for (a
 * permit, an item, a free slot): it takes the grant out of its own state under its monitor, polls
 * the first pending waiter, then completes it outside the monitor. If that completion fails
 * because the waiter was cancelled in the meantime, the grant is put back and offered to the next
 * waiter. The caller's promise is made by {@link #await}: it settles on the caller's loop thread
 * and gives a grant back when the caller was cancelled after its waiter had been completed
 * (asyncio's {@code except CancelledError: if fut.done() and not fut.cancelled(): ...}), so a
 * cancellation never keeps or swallows what was granted.
 *
 * @param <T> what a waiter is completed with
 */
public final class WaiterQueue<T> {
  private final ArrayDeque<LeafPromise<T>> waiters = new ArrayDeque<>();

  /** Appends a new waiter owned by the calling loop thread (by no loop off every loop). */
  public LeafPromise<T> enqueue() {
    LeafPromise<T> waiter = new LeafPromise<>(LoopThread.current());
    waiters.addLast(waiter);
    return waiter;
  }

  /** Removes and returns the first waiter that is not settled yet (dropping settled ones before it), or null. */
  public LeafPromise<T> pollPending() {
    LeafPromise<T> w;
    while ((w = waiters.pollFirst()) != null) {
      if (!w.isDone()) {
        return w;
      }
    }
    return null;
  }

  /** Removes a waiter that leaves the queue (cancelled, failed); false if it was not queued any more. */
  public boolean remove(LeafPromise<T> waiter) {
    return waiters.remove(waiter);
  }

  /** Whether a waiter that is not settled yet is queued (asyncio ignores cancelled waiters in its checks). */
  public boolean hasPending() {
    for (LeafPromise<T> w : waiters) {
      if (!w.isDone()) {
        return true;
      }
    }
    return false;
  }

  /** Removes every waiter and returns those not settled yet, in queue order. */
  public List<LeafPromise<T>> drainPending() {
    List<LeafPromise<T>> pending = new ArrayList<>(waiters.size());
    for (Iterator<LeafPromise<T>> it = waiters.iterator(); it.hasNext(); ) {
      LeafPromise<T> w = it.next();
      if (!w.isDone()) {
        pending.add(w);
      }
    }
    waiters.clear();
    return pending;
  }

  /** Removes every waiter, settled or not, and returns them in queue order. */
  public List<LeafPromise<T>> drainAll() {
    List<LeafPromise<T>> all = new ArrayList<>(waiters);
    waiters.clear();
    return all;
  }

  /** The number of queued waiters, cancelled ones not yet removed included. */
  public int size() {
    return waiters.size();
  }

  /**
   * The promise a caller gets for its waiter: it settles on the caller's loop thread once the
   * waiter settles. Exactly one of the three actions runs, on that thread, without any monitor
   * held:
   *
   * <ul>
   *   <li>{@code onGrant}: the waiter was completed and the caller was not cancelled; the
   *       function's value (or what it throws) is the caller's outcome;
   *   <li>{@code onGrantRefused}: the waiter was completed, but a cancellation of the caller's
   *       promise arrived before it resumed; the action gives the grant back (and wakes the next
   *       waiter), then the caller's promise is cancelled;
   *   <li>{@code onWithdraw}: the waiter was cancelled or failed before being granted anything; the
   *       action removes it from its queue, and the caller's promise settles like the waiter.
   * </ul>
   */
  public static <T, R> Promise<R> await(
      LeafPromise<T> waiter,
      ThrowingFunction<? super T, ? extends R> onGrant,
      Runnable onGrantRefused,
      Runnable onWithdraw) {
    return waiter.handle((value, error) -> {
      if (error == null) {
        return onGrant.apply(value);
      }
      if (waiter.isSuccess()) {
        onGrantRefused.run();
      } else {
        onWithdraw.run();
      }
      throw asException(error);
    });
  }

  /** Completes each waiter with {@code value}, outside any monitor (everyone wakes: an event). */
  public static <T> void completeAll(List<LeafPromise<T>> waiters, T value) {
    for (LeafPromise<T> w : waiters) {
      w.complete(value);
    }
  }

  /** Fails each waiter with a fresh exception from {@code error}, outside any monitor. */
  public static <T> void failAll(List<LeafPromise<T>> waiters, java.util.function.Supplier<? extends Throwable> error) {
    for (LeafPromise<T> w : waiters) {
      w.fail(error.get());
    }
  }

  private static Exception asException(Throwable error) {
    if (error instanceof Error) {
      throw (Error) error;
    }
    return (Exception) error;
  }
}
