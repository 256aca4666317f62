package dev.aionet.core;

/**
 * A callback scheduled with {@link Loop#callLater}: asyncio's {@code TimerHandle}.
 *
 * @since 0.1
 */
public interface TimerHandle {
  /** Cancels the callback if it has not run yet; harmless afterwards. Thread-safe. */
  void cancel();

  /**
   * Returns whether {@link #cancel()} was called before the callback ran.
   *
   * @return true if cancelled
   */
  boolean isCancelled();

  /**
   * Returns when the callback is due, in {@linkplain Loop#time() loop time}.
   *
   * @return seconds on the loop's monotonic clock
   */
  double when();
}
