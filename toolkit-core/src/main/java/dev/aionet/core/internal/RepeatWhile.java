package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;
import dev.aionet.core.Coroutine;
import dev.aionet.core.Promise;
import java.util.Objects;

/**
 * {@code Aio.repeatWhile}: a do-while loop over promises in constant stack and constant memory.
 *
 * <p>While the iteration's promise is already settled (the common case of a buffered read or a
 * non-blocking step), the loop continues in a plain {@code for} loop, with no listener, no
 * allocation of ours and no stack growth; only when it is pending does this promise register on
 * it and continue when it settles. Nothing is kept from one iteration to the next, so live memory
 * stays flat however many iterations run.
 *
 * <p><b>Cancellation</b> travels inward to the pending iteration, as for a derivation; a cancel
 * that finds nothing pending is applied before the next iteration starts.
 */
public final class RepeatWhile extends ForwardingPromise<Void> implements Continuation {
  private final Coroutine<Boolean> iteration;
  /** The task the loop belongs to: current while iterations run. */
  private final TaskImpl<?> task;
  /*
   * Plain fields: a repeatWhile always belongs to a loop thread, and everything that touches them
   * runs there (iterations, resumption, and cancel requests, which hop there first), so volatile
   * stores would only add a fence each time an iteration waits.
   */
  private PromiseImpl<Boolean> waitingOn;
  private CancelledException pendingCancel;

  private RepeatWhile(LoopThread owner, Coroutine<Boolean> iteration) {
    super(owner);
    this.iteration = iteration;
    this.task = owner.currentTask;
  }

  /** Runs the first iteration inline, as a coroutine's {@code while} loop would. */
  public static Promise<Void> start(Coroutine<Boolean> iteration) {
    LoopThread ctx = LoopThread.require();
    RepeatWhile loop = new RepeatWhile(ctx, Objects.requireNonNull(iteration, "iteration"));
    loop.run();
    return loop;
  }

  private void run() {
    while (true) {
      CancelledException cancel = pendingCancel;
      if (cancel != null) {
        settleCancelled(cancel);
        return;
      }
      Promise<Boolean> next;
      try {
        next = iteration.call();
        if (next == null) {
          throw new NullPointerException("the iteration of repeatWhile returned null instead of a promise");
        }
      } catch (Throwable t) {
        settleLike(Failure.failed(t));
        return;
      }
      PromiseImpl<Boolean> p = Promises.adapt(next);
      Object outcome = p.result;
      if (outcome == null) {
        waitingOn = p;
        p.markRetrieved();
        p.addListener(this);
        return;
      }
      if (!proceed(outcome)) {
        return;
      }
    }
  }

  /** True to iterate again; else settles this promise and returns false. */
  private boolean proceed(Object outcome) {
    if (outcome instanceof Failure) {
      settleLike(outcome);
      return false;
    }
    if (outcome == NULL) {
      tryFail(new NullPointerException("the iteration of repeatWhile completed with null instead of a Boolean"));
      return false;
    }
    if (!(Boolean) outcome) {
      trySucceed(null);
      return false;
    }
    return true;
  }

  @Override
  public void resume(PromiseImpl<?> source) {
    if (result != null) {
      return;
    }
    waitingOn = null;
    CancelledException cancel = pendingCancel;
    if (cancel != null) {
      settleCancelled(cancel);
      return;
    }
    TaskImpl<?> previous = owner.enterTask(task);
    try {
      if (proceed(source.result)) {
        run();
      }
    } finally {
      owner.exitTask(previous);
    }
  }

  @Override
  PromiseImpl<?> awaitedNow() {
    return waitingOn;
  }

  @Override
  void deferCancel(String message) {
    if (pendingCancel == null) {
      pendingCancel = new CancelledException(message);
    }
  }

  @Override
  public String toString() {
    return "RepeatWhile " + super.toString();
  }
}
