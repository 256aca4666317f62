package dev.aionet.core;

import java.util.List;

/**
 * The failures of a {@link TaskGroup}: asyncio's {@code ExceptionGroup} made Java.
 *
 * <p>{@link #exceptions()} lists every non-cancellation failure in the order it happened;
 * {@link #getCause()} is the first of them, and each one is also
 * {@linkplain #getSuppressed() suppressed}, so a plain stack trace shows them all.
 *
 * @since 0.1
 */
public class TaskGroupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The failures in the order they happened (serialized with the exception). */
  private final List<Throwable> exceptions;

  /**
   * Creates the group exception.
   *
   * @param message what failed
   * @param exceptions the failures in the order they happened; at least one
   */
  public TaskGroupException(String message, List<? extends Throwable> exceptions) {
    super(message, exceptions.isEmpty() ? null : exceptions.get(0));
    if (exceptions.isEmpty()) {
      throw new IllegalArgumentException("a TaskGroupException needs at least one exception");
    }
    this.exceptions = List.copyOf(exceptions);
    for (Throwable t : this.exceptions) {
      addSuppressed(t);
    }
  }

  /**
   * Returns every failure of the group, in the order they happened.
   *
   * @return an unmodifiable list of at least one throwable
   */
  public List<Throwable> exceptions() {
    return exceptions;
  }
}
