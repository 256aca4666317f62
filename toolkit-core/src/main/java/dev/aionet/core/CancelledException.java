package dev.aionet.core;

import java.util.concurrent.CancellationException;

/**
 * The outcome of a cancelled promise: asyncio's {@code CancelledError}.
 *
 * <p>It extends the JDK's {@link CancellationException}, so code that catches either sees it.
 * It is stackless (like Netty's {@code LeanCancellationException}): cancellation is a normal
 * outcome, not a bug, and capturing a stack for each would cost more than the cancel itself.
 * The {@linkplain #getMessage() message} is the one given to {@link Promise#cancel(String)}, or
 * {@code null}.
 *
 * @since 0.1
 */
public class CancelledException extends CancellationException {
  private static final long serialVersionUID = 1L;

  /** Creates a cancellation without a message. */
  public CancelledException() {
    super();
  }

  /**
   * Creates a cancellation with the message given to {@code cancel(message)}.
   *
   * @param message the cancel message, or {@code null}
   */
  public CancelledException(String message) {
    super(message);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
