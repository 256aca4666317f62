package dev.aionet.core;

/**
 * {@link AsyncQueue#putNowait(Object)} found the queue full: asyncio's {@code QueueFull}.
 *
 * @since 0.1
 */
public class QueueFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened, naming the queue
   */
  public QueueFullException(String message) {
    super(message);
  }
}
