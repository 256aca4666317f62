package dev.aionet.core;

/**
 * {@link AsyncQueue#getNowait()} found the queue empty: asyncio's {@code QueueEmpty}.
 *
 * @since 0.1
 */
public class QueueEmptyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened, naming the queue
   */
  public QueueEmptyException(String message) {
    super(message);
  }
}
