package dev.aionet.core.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code Aio.sleep}: a leaf completed by a timer. {@code sleep(0)} (or a negative delay) yields
 * exactly one turn, as asyncio's {@code sleep(0)}; cancelling the promise cancels the timer.
 */
public final class Sleep {
  private Sleep() {}

  public static <T> LeafPromise<T> start(Duration delay, T result) {
    LoopContext ctx = LoopContext.require();
    long nanos = LoopCore.delayNanos(java.util.Objects.requireNonNull(delay, "delay"));
    LeafPromise<T> promise = new LeafPromise<>(ctx);
    if (nanos == 0) {
      ctx.callSoon(() -> promise.complete(result));
    } else {
      io.netty.util.concurrent.ScheduledFuture<?> timer =
          ctx.executor.schedule(() -> promise.complete(result), nanos, TimeUnit.NANOSECONDS);
      promise.onCancel(() -> timer.cancel(false));
    }
    return promise;
  }
}
