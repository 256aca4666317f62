package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;
import dev.aionet.core.Promise;
import java.util.function.BooleanSupplier;

/**
 * {@code AsyncCondition.await()} and {@code awaitUntil(predicate)}, after asyncio's
 * {@code Condition.wait} and {@code wait_for} (3.13): queue a waiter, release the lock, wait for a
 * notification, then re-acquire the lock <em>whatever happened</em>, so the caller's
 * {@code withLock} exit always releases a lock it really holds.
 *
 * <pre>
 *   WAIT ──notified / cancelled──► REACQUIRE ──lock held──► (predicate false: WAIT again) ► settle
 *                                    ▲    │ acquisition cancelled: remember it, acquire again
 *                                    └────┘
 * </pre>
 *
 * <p>It settles only with the lock held (except when an acquisition fails with something other
 * than a cancellation). It is cancelled when a cancellation arrived at any point, with the last
 * {@link CancelledException}, and then passes a notification on to another waiter, as 3.13 does
 * for any error leaving {@code wait()} (a notification must not be lost to a cancelled waiter;
 * spurious wake-ups are allowed).
 */
public final class ConditionWait extends Derived<Object, Void> {
  /** What the wait needs of its condition; each call is made on the waiting caller's thread. */
  public interface Host {
    /** Queues a new waiter for a notification (owned by the calling loop thread). */
    LeafPromise<Void> enqueueWaiter();

    /** Removes a waiter that leaves (no-op when a notification already removed it). */
    void withdraw(LeafPromise<Void> waiter);

    /** Wakes one other waiter. */
    void notifyOne();

    void release();

    Promise<Void> acquire();
  }

  private final Host host;
  private final BooleanSupplier predicate;
  private LeafPromise<Void> waiter;
  private boolean reacquiring;
  private Throwable error;

  private ConditionWait(LoopThread owner, LeafPromise<Void> waiter, Host host, BooleanSupplier predicate) {
    super(owner, (PromiseImpl) waiter);
    this.waiter = waiter;
    this.host = host;
    this.predicate = predicate;
  }

  /**
   * Starts waiting; the caller holds the lock. With a {@code predicate} it loops until the
   * predicate holds (checked with the lock held); without one it waits for one notification.
   */
  @SuppressWarnings("unchecked")
  public static Promise<Void> start(Host host, BooleanSupplier predicate) {
    LeafPromise<Void> waiter = host.enqueueWaiter();
    ConditionWait wait = new ConditionWait(LoopThread.current(), waiter, host, predicate);
    waiter.addListener(wait);
    wait.releaseLock(); // last: releasing may run other tasks inline, which may notify us at once
    return wait;
  }

  /**
   * Releases the lock for the current round. It only fails if someone else released the lock
   * since the caller's check (a misuse): then the round's waiter leaves and the wait fails.
   */
  private void releaseLock() {
    try {
      host.release();
    } catch (RuntimeException misuse) {
      host.withdraw(waiter);
      settleThrown(misuse);
    }
  }

  @Override
  void step(Object outcome) {
    if (!reacquiring) {
      host.withdraw(waiter);
      if (outcome instanceof Failure) {
        error = ((Failure) outcome).cause; // cancelled while waiting (or after the notification)
      }
      reacquire();
      return;
    }
    if (!(outcome instanceof Failure)) {
      lockHeld();
      return;
    }
    Throwable cause = ((Failure) outcome).cause;
    if (waitingOn.isSuccess()) {
      error = cause; // acquired, then a cancellation arrived: we hold the lock
      lockHeld();
    } else if (cause instanceof CancelledException) {
      error = cause; // asyncio: remember the most recent CancelledError and acquire again
      reacquire();
    } else {
      settleLike(outcome); // not a cancellation: no lock, as asyncio lets it propagate
    }
  }

  private void reacquire() {
    reacquiring = true;
    Promise<Void> acquisition;
    try {
      acquisition = host.acquire();
    } catch (Throwable t) {
      settleThrown(t);
      return;
    }
    awaitInner(acquisition);
  }

  private void lockHeld() {
    if (error != null) {
      host.notifyOne();
      settleLike(Failure.failed(error));
      return;
    }
    boolean done;
    try {
      done = predicate == null || predicate.getAsBoolean();
    } catch (Throwable t) {
      settleThrown(t);
      return;
    }
    if (done) {
      trySucceed(null);
      return;
    }
    reacquiring = false;
    LeafPromise<Void> next = host.enqueueWaiter();
    waiter = next;
    awaitInner(next);
    releaseLock(); // last, as in start()
  }
}
