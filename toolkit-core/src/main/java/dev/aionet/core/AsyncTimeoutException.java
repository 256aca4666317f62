package dev.aionet.core;

/**
 * A deadline passed: asyncio's {@code TimeoutError}, raised by {@link Aio#waitFor},
 * {@link Aio#timeout} and {@link Promise#join(java.time.Duration)}.
 *
 * <p>Unchecked, because it travels through promises and {@code join()}. Stackless: its cause (the
 * cancellation that the timeout delivered, where there was one) tells what was interrupted.
 *
 * @since 0.1
 */
public class AsyncTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates a timeout.
   *
   * @param message what timed out
   */
  public AsyncTimeoutException(String message) {
    super(message, null, false, false);
  }

  /**
   * Creates a timeout with the cancellation it caused as its cause.
   *
   * @param message what timed out
   * @param cause usually the {@link CancelledException} the timeout delivered
   */
  public AsyncTimeoutException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
