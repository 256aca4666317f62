package dev.aionet.core;

/**
 * The queue was shut down: asyncio 3.13's {@code QueueShutDown}; later puts, and gets on an empty shut-down queue, fail with it.
 *
 * @since 0.1
 */
public class QueueShutDownException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened, naming the queue
   */
  public QueueShutDownException(String message) {
    super(message);
  }
}
