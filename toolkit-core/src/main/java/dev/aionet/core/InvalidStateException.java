package dev.aionet.core;

/**
 * asyncio's {@code InvalidStateError}: the promise is not in the state the call needs, for example
 * {@link Promise#result()} on a pending promise ({@code "Result is not ready."}).
 *
 * @since 0.1
 */
public class InvalidStateException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what state was wrong
   */
  public InvalidStateException(String message) {
    super(message);
  }
}
