package dev.aionet.core.internal;

import dev.aionet.core.TimerHandle;
import java.time.Duration;

/**
 * {@code Aio.sleep}: a leaf completed by a timer. {@code sleep(0)} (or a negative delay) yields
 * exactly one turn, as asyncio's {@code sleep(0)}; cancelling the promise cancels the timer.
 */
public final class Sleep {
  private Sleep() {}

  public static <T> LeafPromise<T> start(Duration delay, T result) {
    LoopThread ctx = LoopThread.require();
    long nanos = LoopCore.delayNanos(java.util.Objects.requireNonNull(delay, "delay"));
    LeafPromise<T> promise = new LeafPromise<>(ctx);
    Wakeup<T> wakeup = new Wakeup<>(promise, result, ctx.currentTask, delay);
    if (nanos == 0) {
      ctx.callSoon(wakeup);
    } else {
      TimerHandle timer = ctx.callLater(delay, wakeup); // the loop's timers keep equal deadlines in order
      promise.onCancel(timer::cancel);
    }
    return promise;
  }

  /** Completes the sleep; named after the task that slept, for debug-mode reports. */
  private static final class Wakeup<T> implements Runnable {
    private final LeafPromise<T> promise;
    private final T result;
    private final TaskImpl<?> task;
    private final Duration delay;

    Wakeup(LeafPromise<T> promise, T result, TaskImpl<?> task, Duration delay) {
      this.promise = promise;
      this.result = result;
      this.task = task;
      this.delay = delay;
    }

    @Override
    public void run() {
      promise.complete(result);
    }

    @Override
    public String toString() {
      return "wake-up after sleep(" + delay + ")" + (task == null ? "" : " of " + task.describe());
    }
  }
}
