package dev.aionet.core;

/**
 * When {@link Aio#wait} returns: asyncio's {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION} and
 * {@code ALL_COMPLETED}.
 *
 * @since 0.1
 */
public enum ReturnWhen {
  /** As soon as any promise settles. */
  FIRST_COMPLETED,
  /** As soon as any promise fails (a cancellation is not a failure here), else when all settle. */
  FIRST_EXCEPTION,
  /** When every promise has settled. */
  ALL_COMPLETED
}
