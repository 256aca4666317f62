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

  /** Handles a cancel request on the owner thread: forwards it to what this promise waits on. */
  abstract boolean requestCancel(String message);
}
