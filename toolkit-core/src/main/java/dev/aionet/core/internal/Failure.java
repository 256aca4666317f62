package dev.aionet.core.internal;

import dev.aionet.core.CancelledException;

/**
 * The stored outcome of a promise that did not succeed: a failure, or a cancellation.
 *
 * <p>A promise's result field holds the value itself (or {@link PromiseImpl#NULL} for a null
 * value) on success and a Failure otherwise, so the state is one volatile read.
 */
final class Failure {
  final Throwable cause;
  /** True for the CANCELLED state; a FAILED promise may still carry a CancelledException. */
  final boolean cancelled;

  private Failure(Throwable cause, boolean cancelled) {
    this.cause = cause;
    this.cancelled = cancelled;
  }

  static Failure failed(Throwable cause) {
    return new Failure(cause, false);
  }

  static Failure cancelled(CancelledException cause) {
    return new Failure(cause, true);
  }

  static Failure cancelled(String message) {
    return new Failure(new CancelledException(message), true);
  }

  /** Any outcome whose exception is a CancelledException counts as cancellation. */
  boolean isCancellation() {
    return cause instanceof CancelledException;
  }

  /** The same failure as a cancellation outcome (a derived promise that skips its function). */
  Failure asCancelled() {
    return cancelled ? this : new Failure(cause, true);
  }
}
