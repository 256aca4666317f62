package dev.aionet.core.internal;

/**
 * A promise settled by its creator: {@link dev.aionet.core.CompletablePromise}, a timer, an adapted foreign
 * future. A leaf is where cancellation ends: cancelling it settles it at once as cancelled and
 * runs its {@link #onCancel} action (cancel the timer, the foreign future...).
 *
 * @param <T> the value type
 */
public class LeafPromise<T> extends CancellableLeaf<T> {
  private volatile Runnable onCancel;

  public LeafPromise(LoopThread owner) {
    super(owner);
  }

  /** Sets what cancelling this leaf must also do; runs at once if it is already cancelled. */
  public final void onCancel(Runnable action) {
    this.onCancel = action;
    if (isCancelled()) {
      action.run();
    }
  }

  @Override
  protected final void onCancelled() {
    Runnable action = onCancel;
    if (action != null) {
      action.run();
    }
  }
}
