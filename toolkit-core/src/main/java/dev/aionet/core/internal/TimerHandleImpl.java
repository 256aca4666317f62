package dev.aionet.core.internal;

import dev.aionet.core.TimerHandle;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A {@link TimerHandle} over a Netty scheduled task. */
public final class TimerHandleImpl implements TimerHandle {
  private final ScheduledFuture<?> future;
  private final double when;
  private volatile boolean cancelled;

  private TimerHandleImpl(ScheduledFuture<?> future, double when) {
    this.future = future;
    this.when = when;
  }

  /** Runs {@code callback} as a loop callback on {@code ctx}'s thread after {@code delay}. */
  public static TimerHandleImpl schedule(LoopContext ctx, Duration delay, Runnable callback) {
    long nanos = LoopCore.delayNanos(delay);
    double when = LoopTime.now() + nanos / 1e9;
    ScheduledFuture<?> f = ctx.executor.schedule(() -> ctx.runCallback(callback), nanos, TimeUnit.NANOSECONDS);
    return new TimerHandleImpl(f, when);
  }

  @Override
  public void cancel() {
    cancelled = true;
    future.cancel(false);
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public double when() {
    return when;
  }

  @Override
  public String toString() {
    return "TimerHandle[when=" + when + (cancelled ? ", cancelled" : "") + "]";
  }
}
