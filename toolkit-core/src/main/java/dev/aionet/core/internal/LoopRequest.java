package dev.aionet.core.internal;

/**
 * A request to a loop-confined object (a stream read, a datagram receive) that is its own
 * promise and, made on another thread, its own hop to the loop thread: one object per request.
 * {@link #submit()} starts it ({@link #run()}) at once on the loop thread, else hands it there; a
 * loop that has shut down refuses it, and it fails with {@code IllegalStateException("loop is
 * closed")}. Cancelling it while it waits stops the wait on the loop thread
 * ({@link #stopWaiting()}).
 *
 * @param <T> the value type
 */
public abstract class LoopRequest<T> extends CancellableLeaf<T> implements LoopWork {

  protected LoopRequest(LoopThread owner) {
    super(owner);
  }

  /** Starts the request now on the loop thread, else hands it there; returns this promise. */
  public final LoopRequest<T> submit() {
    if (owner.inEventLoop()) {
      run();
    } else {
      owner.execute(this);
    }
    return this;
  }

  /** Starts the request: settles it at once if it can, else makes it the waiter. Loop thread. */
  @Override
  public abstract void run();

  /** The request was cancelled while it may be the waiter: stop waiting for it. Loop thread. */
  protected abstract void stopWaiting();

  @Override
  public final void refused(IllegalStateException loopClosed) {
    tryFail(loopClosed);
  }

  @Override
  protected final void onCancelled() {
    if (owner.inEventLoop()) {
      stopWaiting();
    } else {
      owner.executeCleanup(this::stopWaiting); // on a closed loop nothing waits any more
    }
  }
}
