package dev.aionet.core.internal;

/**
 * A promise that waits on others (a derivation, a task, a scope, a gather): cancelling it forwards
 * the request inward, on its owner's loop thread. From another thread the request hops there and
 * {@link #cancel(String)} returns true while the promise is pending.
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
      owner.execute(() -> requestCancel(message));
      return true;
    }
    return requestCancel(message);
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
    PromiseImpl<?> awaited = awaitedNow();
    if (awaited != null && awaited.result == null && awaited.cancel(message)) {
      return true;
    }
    deferCancel(message);
    return true;
  }

  /** Counts a cancel request, for promises that keep count; before it is forwarded. */
  void cancelRequested() {}

  /** The promise this one waits on now, or null. */
  PromiseImpl<?> awaitedNow() {
    return null;
  }

  /** Remembers a request that could not be forwarded, for the next step. */
  void deferCancel(String message) {}
}
