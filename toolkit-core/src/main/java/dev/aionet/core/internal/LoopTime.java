package dev.aionet.core.internal;

/** The loop's monotonic clock in seconds (asyncio's {@code loop.time()}). */
public final class LoopTime {
  private LoopTime() {}

  public static double now() {
    return System.nanoTime() / 1e9;
  }
}
