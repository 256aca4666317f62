package dev.aionet.core.internal;

import dev.aionet.core.CompletablePromise;

/**
 * A leaf promise whose subclass reacts to its own cancellation ({@link #onCancelled()}): a
 * {@link LeafPromise} without the field for a separate action, for objects that are their own
 * promise (a stream's pending read) and exist once per connection.
 *
 * @param <T> the value type
 */
public abstract class CancellableLeaf<T> extends PromiseImpl<T> implements CompletablePromise<T> {

  protected CancellableLeaf(LoopThread owner) {
    super(owner);
  }

  /** Runs once when this leaf is cancelled, on the cancelling thread, after it settled. */
  @Override
  protected abstract void onCancelled();

  @Override
  public final boolean complete(T value) {
    return trySucceed(value);
  }

  @Override
  public final boolean fail(Throwable error) {
    return tryFail(error);
  }
}
