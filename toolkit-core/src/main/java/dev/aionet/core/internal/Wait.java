package dev.aionet.core.internal;

import dev.aionet.core.Promise;
import dev.aionet.core.ReturnWhen;
import dev.aionet.core.WaitResult;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code Aio.wait}: asyncio's {@code wait}. Completes (never fails) with the (done, pending) split
 * of the distinct promises once {@code when} is met or the timeout passes.
 *
 * <p>{@link ReturnWhen#FIRST_EXCEPTION} counts a {@code FAILED} promise, not a cancelled one
 * (asyncio: {@code not f.cancelled() and f.exception() is not None}). Nothing is ever cancelled:
 * not on timeout, not when the wait itself is cancelled (then only its timer is).
 *
 * @param <T> the value type
 */
public final class Wait<T> extends PromiseImpl<WaitResult<T>> implements Continuation {
  /** Each distinct original, with the promise of ours that follows it. */
  private final Map<Promise<T>, PromiseImpl<T>> promises;
  private final ReturnWhen when;
  private int left;
  private volatile dev.aionet.core.TimerHandle timer;

  private Wait(LoopThread owner, Map<Promise<T>, PromiseImpl<T>> promises, ReturnWhen when) {
    super(owner);
    this.promises = promises;
    this.when = when;
    this.left = promises.size();
  }

  public static <T> Promise<WaitResult<T>> start(Collection<? extends Promise<T>> promises, ReturnWhen when,
      Duration timeout) {
    LoopThread ctx = LoopThread.require();
    Objects.requireNonNull(promises, "promises");
    Objects.requireNonNull(when, "when");
    if (promises.isEmpty()) {
      throw new IllegalArgumentException("Set of coroutines/Futures is empty.");
    }
    Map<Promise<T>, PromiseImpl<T>> distinct = new LinkedHashMap<>();
    for (Promise<T> p : promises) {
      distinct.computeIfAbsent(Objects.requireNonNull(p, "a promise in wait"), Promises::adapt);
    }
    Wait<T> wait = new Wait<>(ctx, distinct, when);
    if (timeout != null) {
      wait.timer = ctx.callLater(timeout, wait::finish);
    }
    for (PromiseImpl<T> p : distinct.values()) {
      p.addListener(wait);
    }
    return wait;
  }


  @Override
  public void resume(PromiseImpl<?> settled) {
    left--;
    if (result != null) {
      return;
    }
    if (left <= 0 || when == ReturnWhen.FIRST_COMPLETED
        || (when == ReturnWhen.FIRST_EXCEPTION && settled.isFailed())) {
      finish();
    }
  }

  private void finish() {
    if (result != null) {
      return;
    }
    Set<Promise<T>> done = new LinkedHashSet<>();
    Set<Promise<T>> pending = new LinkedHashSet<>();
    for (Map.Entry<Promise<T>, PromiseImpl<T>> e : promises.entrySet()) {
      (e.getValue().isDone() ? done : pending).add(e.getKey());
    }
    if (trySucceed(new WaitResult<>(done, pending))) {
      disarm();
    }
  }

  @Override
  protected void onCancelled() {
    disarm();
  }

  private void disarm() {
    dev.aionet.core.TimerHandle t = timer;
    if (t != null) {
      t.cancel();
    }
  }

  @Override
  public String toString() {
    return "Wait[" + when + ", " + left + " left] " + super.toString();
  }
}
