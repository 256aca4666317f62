package dev.aionet.core.internal;

import dev.aionet.core.TimerHandle;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * Timers keyed by an absolute {@linkplain LoopTime loop time}, fired in (deadline, creation)
 * order: asyncio's {@code _scheduled} heap. Two timers for the same deadline (an outer and an
 * inner {@code timeoutAt(d)}) always fire in the order they were made, which Netty's relative
 * delays cannot promise once a deadline is converted twice. One Netty task is armed for the
 * earliest deadline; when it fires, everything due runs, in order, in that one turn.
 *
 * <p>The heap is confined to its loop thread; {@link #callAt} and a handle's {@code cancel()}
 * from another thread hop there. Cancelled timers are dropped lazily, and the heap is rebuilt
 * when they are more than half of it (asyncio's {@code _timer_cancelled_count}).
 */
final class LoopTimers {
  private final LoopThread ctx;
  private final PriorityQueue<Timer> queue = new PriorityQueue<>();
  private long created;
  private int cancelledSinceRebuild;
  private ScheduledFuture<?> armed;
  private double armedFor = Double.POSITIVE_INFINITY;

  LoopTimers(LoopThread ctx) {
    this.ctx = ctx;
  }

  /** Runs {@code callback} as a loop callback once loop time reaches {@code when}. Any thread. */
  TimerHandle callAt(double when, Runnable callback) {
    Timer t = new Timer(when, callback);
    if (ctx.inEventLoop()) {
      insert(t);
    } else {
      ctx.execute(t); // on a closed loop it is refused and named in the loop's warning
    }
    return t;
  }

  /** asyncio's call_later: {@code callAt(time() + delay)}, negative delays counting as zero. */
  TimerHandle callLater(java.time.Duration delay, Runnable callback) {
    return callAt((ctx.nanoTime() + LoopCore.delayNanos(delay)) / 1e9, callback);
  }

  private void insert(Timer t) {
    if (t.cancelled) {
      return;
    }
    t.order = created++;
    queue.add(t);
    if (t.when < armedFor) {
      arm(t.when);
    }
  }

  private void arm(double when) {
    if (armed != null) {
      armed.cancel(false);
    }
    armedFor = when;
    long nanos = Math.max(0, LoopTime.atOrAfter(when) - ctx.nanoTime());
    armed = ctx.executor.schedule(this::fire, nanos, TimeUnit.NANOSECONDS);
  }

  private void fire() {
    armed = null;
    armedFor = Double.POSITIVE_INFINITY;
    // One clock reading serves the turn's stats and the timers' loop time (the system's clock),
    // unless the loop runs on a virtual clock (the test kit), which the stats do not use.
    long begin = ctx.turns.begin();
    double now = ctx.virtualClock ? ctx.time() : ctx.timeAtSystemNanos(begin);
    Timer first = null;
    int ran = 0;
    while (!queue.isEmpty() && queue.peek().when <= now) {
      Timer t = queue.poll();
      if (!t.cancelled) {
        if (first == null) {
          first = t; // the earliest deadline: the latest timer of this pass
          ctx.turns.timerLag((long) ((now - t.when) * 1e9));
        }
        t.fired = true;
        ran++;
        ctx.runCallback(t.callback, t);
      }
    }
    ctx.turns.end(first, ran);
    dropCancelledHead();
    if (!queue.isEmpty()) {
      arm(queue.peek().when);
    }
  }

  private void dropCancelledHead() {
    while (!queue.isEmpty() && queue.peek().cancelled) {
      queue.poll();
    }
  }

  private void onCancelled() {
    if (++cancelledSinceRebuild > 64 && cancelledSinceRebuild * 2 > queue.size()) {
      queue.removeIf(t -> t.cancelled);
      cancelledSinceRebuild = 0;
    }
    dropCancelledHead();
    if (ctx.virtualClock && armed != null && (queue.isEmpty() || queue.peek().when > armedFor)) {
      // a virtual clock would jump to the cancelled deadline; a real one just wakes once for nothing
      if (queue.isEmpty()) {
        armed.cancel(false);
        armed = null;
        armedFor = Double.POSITIVE_INFINITY;
      } else {
        arm(queue.peek().when);
      }
    }
  }

  /** One timer; its handle. */
  /** A timer; as a Runnable, it inserts itself (handed to the loop thread from another). */
  private final class Timer implements TimerHandle, Comparable<Timer>, Runnable {
    final double when;
    final Runnable callback;
    long order;
    volatile boolean cancelled;
    volatile boolean fired;

    Timer(double when, Runnable callback) {
      this.when = when;
      this.callback = callback;
    }

    /** Cancels the callback if it has not run; harmless afterwards. Any thread. */
    @Override
    public void cancel() {
      if (cancelled || fired) {
        return;
      }
      cancelled = true;
      if (ctx.inEventLoop()) {
        onCancelled();
      } else {
        ctx.executeCleanup(LoopTimers.this::onCancelled);
      }
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
    public int compareTo(Timer other) {
      int c = Double.compare(when, other.when);
      return c != 0 ? c : Long.compare(order, other.order);
    }

    @Override
    public void run() {
      insert(this);
    }

    @Override
    public String toString() {
      return "timer at " + when + " for " + callback;
    }
  }
}
