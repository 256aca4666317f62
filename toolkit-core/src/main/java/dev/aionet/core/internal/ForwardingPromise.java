package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;

/**
 * A promise that waits on others (a derivation, a task, a scope, a gather): cancelling it forwards
 * the request inward, on its owner's loop thread. From another thread the request hops there and
 * {@link #cancel(String)} returns true while the promise is pending; if the owner's loop has shut
 * down, the promise ends cancelled at once instead, since nothing can ever resume it.
 *
 * @param <T> the value type
 */
abstract class ForwardingPromise<T> extends PromiseImpl<T> {

  ForwardingPromise(LoopThread owner) {
    super(owner);
  }

  @Override
  public final boolean cancel(String message) {
    if (result != null) {
      return false;
    }
    if (owner != null && !owner.inEventLoop()) {
      owner.execute(new CancelHop(message, requestedOffLoop()));
      return true;
    }
    return requestCancel(message);
  }

  /** A cancel request from another thread on its way to the owner's loop thread. */
  private final class CancelHop implements LoopWork {
    private final String message;
    /** What {@link #requestedOffLoop()} returned for this request. */
    private final int ticket;

    CancelHop(String message, int ticket) {
      this.message = message;
      this.ticket = ticket;
    }

    @Override
    public void run() {
      requestCancel(message, ticket);
    }

    /** The loop is gone, so the request cannot travel inward: the promise ends cancelled now. */
    @Override
    public void refused(IllegalStateException loopClosed) {
      if (stillRequested(ticket)) {
        settleCancelled(new CancelledException(message));
      } else {
        tryFail(loopClosed); // the request was withdrawn; still, nothing will ever settle it
      }
    }

    @Override
    public String toString() {
      return "cancel(" + (message == null ? "" : '"' + message + '"') + ") of " + ForwardingPromise.this;
    }
  }

  /**
   * Handles a cancel request on the owner thread, as asyncio's {@code Task.cancel}: the promise
   * awaited now gets the request; if there is none, or it cannot be cancelled (settled already,
   * its continuation not run yet), the request is deferred to this promise's next step. Returns
   * whether the request was taken (false once this promise is settled).
   */
  boolean requestCancel(String message) {
    if (result != null) {
      return false;
    }
    cancelRequested();
    forwardCancel(message);
    return true;
  }

  /**
   * Handles on the owner thread a request {@link #cancel(String)} took on another thread, where
   * {@link #requestedOffLoop()} gave it {@code ticket}.
   */
  void requestCancel(String message, int ticket) {
    requestCancel(message);
  }

  /** Hands a request to the promise awaited now, or keeps it for the next step. Owner thread. */
  final void forwardCancel(String message) {
    PromiseImpl<?> awaited = awaitedNow();
    if (awaited != null && awaited.result == null && awaited.cancel(message)) {
      return;
    }
    deferCancel(message);
  }

  /** Counts a cancel request, for promises that keep count; before it is forwarded. */
  void cancelRequested() {}

  /**
   * What a cancel request from another thread does at once, on that thread, before it hops (a
   * task counts it there, as asyncio's {@code cancel()} does); returns a ticket for
   * {@link #requestCancel(String, int)}.
   */
  int requestedOffLoop() {
    return 0;
  }

  /** Whether the request with {@code ticket} still stands (a task's can be withdrawn). Any thread. */
  boolean stillRequested(int ticket) {
    return true;
  }

  /** The promise this one waits on now, or null. */
  PromiseImpl<?> awaitedNow() {
    return null;
  }

  /** Remembers a request that could not be forwarded, for the next step. */
  void deferCancel(String message) {}
}
