package dev.aionet.core.internal;

import io.netty.util.concurrent.Ticker;

/**
 * The loop's monotonic clock in seconds (asyncio's {@code loop.time()}). A loop's clock is its
 * event loop's Netty {@link Ticker} (see {@link LoopThread#time()}); code that holds its loop
 * thread reads that directly.
 */
public final class LoopTime {
  private LoopTime() {}

  /** The calling loop thread's time, or the system ticker's off every loop. */
  public static double now() {
    LoopThread current = LoopThread.current();
    return current != null ? current.time() : Ticker.systemTicker().nanoTime() / 1e9;
  }

  /**
   * The earliest nanosecond of the ticker whose time in seconds is at or after {@code when}, so a
   * timer armed for it runs with {@code time()} equal to its deadline, never a nanosecond early.
   */
  static long atOrAfter(double when) {
    double nanos = Math.ceil(when * 1e9);
    if (!(nanos < 0x1p53)) {
      // past 104 days a double no longer holds every nanosecond: nothing finer to find
      return nanos < 0x1p62 ? (long) nanos : Long.MAX_VALUE / 2;
    }
    long n = (long) nanos;
    while (n / 1e9 < when) {
      n++;
    }
    while ((n - 1) / 1e9 >= when) {
      n--;
    }
    return n;
  }
}
