package dev.aionet.core;

import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.WaiterQueue;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;

/**
 * A meeting point for a fixed number of tasks: asyncio's {@code Barrier}. Each party calls
 * {@link #await()}; once {@code parties} of them wait, all are released together and the barrier
 * starts over for the next round.
 *
 * <p><b>Index.</b> Each party's promise succeeds with its arrival index in the round, from
 * {@code 0} to {@code parties - 1}, the last to arrive getting {@code parties - 1}. (When a waiting
 * party is cancelled it leaves the round, as in asyncio; aionet then numbers the remaining parties
 * by arrival order, so the indices of a round stay distinct, where asyncio may repeat one.)
 *
 * <p><b>Broken.</b> {@link #abort()} breaks the barrier: waiters and later callers fail with
 * {@link BrokenBarrierException} until {@link #reset()}. {@code reset()} makes the current waiters
 * fail with {@code BrokenBarrierException} and starts an empty round.
 *
 * <p><b>Cancellation.</b> A cancelled waiter leaves the round (it no longer counts towards
 * {@code parties}), unless the round was already released, in which case it still counted.
 *
 * <p><b>Threading.</b> May be shared by tasks on any loop threads (see the package documentation, "Threads"); each waiter
 * resumes on the loop thread that called {@code await()}. Unlike asyncio, {@link #reset()} and
 * {@link #abort()} act at once and return nothing: the barrier's state is guarded by a monitor,
 * not by an asyncio lock.
 */
public final class AsyncBarrier {
  private final int parties;
  private final WaiterQueue<Integer> waiters = new WaiterQueue<>();
  /** Parties in the current round; a cancelled one counts until its waiter is withdrawn. */
  private int count;
  private boolean broken;

  /**
   * Creates a barrier for {@code parties} tasks.
   *
   * @param parties how many tasks a round needs
   * @throws IllegalArgumentException if {@code parties < 1}
   */
  public AsyncBarrier(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("parties must be > 0: " + parties);
    }
    this.parties = parties;
  }

  /**
   * Returns a promise that succeeds with this party's arrival index once {@code parties} tasks
   * wait (at once for the last one), or fails with {@link BrokenBarrierException} when the
   * barrier is broken (at once) or is aborted or reset while this party waits.
   *
   * @return the arrival index, or a failure with {@link BrokenBarrierException}
   */
  public Promise<Integer> await() {
    List<LeafPromise<Integer>> released;
    LeafPromise<Integer> waiter;
    synchronized (this) {
      if (broken) {
        return Promise.failed(new BrokenBarrierException("Barrier aborted"));
      }
      count++;
      if (count < parties) {
        waiter = waiters.enqueue();
        released = null;
      } else {
        waiter = null;
        released = waiters.drainAll();
        count = 0;
      }
    }
    if (waiter != null) {
      return WaiterQueue.await(waiter, index -> index, () -> {}, () -> withdraw(waiter));
    }
    for (int i = 0; i < released.size(); i++) {
      released.get(i).complete(i);
    }
    return Promise.completed(released.size());
  }

  /** Empties the round: waiting parties fail with {@link BrokenBarrierException}; a broken barrier is mended. */
  public void reset() {
    List<LeafPromise<Integer>> failed;
    synchronized (this) {
      broken = false;
      count = 0;
      failed = waiters.drainPending();
    }
    WaiterQueue.failAll(failed, () -> new BrokenBarrierException("Abort or reset of barrier"));
  }

  /**
   * Breaks the barrier: waiting parties, and every later {@link #await()} until {@link #reset()},
   * fail with {@link BrokenBarrierException}.
   */
  public void abort() {
    List<LeafPromise<Integer>> failed;
    synchronized (this) {
      broken = true;
      count = 0;
      failed = waiters.drainPending();
    }
    WaiterQueue.failAll(failed, () -> new BrokenBarrierException("Abort or reset of barrier"));
  }

  /**
   * The number of parties a round needs.
   *
   * @return the parties of a round
   */
  public int parties() {
    return parties;
  }

  /**
   * The number of parties waiting in the current round (asyncio's {@code n_waiting}).
   *
   * @return the parties waiting now
   */
  public synchronized int waiting() {
    return count;
  }

  /**
   * Whether the barrier is broken ({@link #abort()} without a later {@link #reset()}).
   *
   * @return whether broken
   */
  public synchronized boolean isBroken() {
    return broken;
  }

  private synchronized void withdraw(LeafPromise<Integer> waiter) {
    if (waiters.remove(waiter)) {
      count--;
    }
  }

  /** Queued waiters, cancelled ones not yet removed included. */
  synchronized int waiterCount() {
    return waiters.size();
  }

  @Override
  public String toString() {
    return "AsyncBarrier[" + waiting() + "/" + parties + (isBroken() ? ", broken" : "") + "]";
  }
}
