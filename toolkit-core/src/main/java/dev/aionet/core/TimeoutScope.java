package dev.aionet.core;

/**
 * The deadline of an {@link Aio#timeout(java.time.Duration, ThrowingFunction)} body:
 * asyncio's {@code Timeout} context manager.
 *
 * <p>Named so it never clashes with JUnit's {@code @Timeout}. Its methods may be called from the
 * body's loop thread while the body runs.
 *
 * @since 0.1
 */
public interface TimeoutScope {
  /**
   * Returns the deadline in {@linkplain Loop#time() loop time}.
   *
   * @return the deadline, or {@link Double#POSITIVE_INFINITY} when there is none
   */
  double when();

  /**
   * Moves the deadline; a deadline at or before now expires the scope on the next turn
   * (asyncio: {@code reschedule(when <= now)} cancels with {@code call_soon}).
   *
   * @param when the new deadline in loop time, or {@link Double#POSITIVE_INFINITY} for none
   * @throws IllegalStateException if the scope has finished, or has expired and is cancelling its
   *     body (asyncio: "Cannot change state of expiring Timeout")
   * @throws IllegalArgumentException if {@code when} is NaN
   */
  void reschedule(double when);

  /**
   * Returns whether the deadline passed and the scope cancelled its body.
   *
   * @return true once expired
   */
  boolean expired();
}
