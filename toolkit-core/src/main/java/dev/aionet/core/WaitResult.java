package dev.aionet.core;

import java.util.Set;

/**
 * What {@link Aio#wait} returns: asyncio's {@code (done, pending)} pair.
 *
 * @param done the promises that had settled when the wait returned
 * @param pending the promises that had not
 * @param <T> the value type
 * @since 0.1
 */
public record WaitResult<T>(Set<Promise<T>> done, Set<Promise<T>> pending) {
  /**
   * Copies both sets, so the result never changes after it is returned.
   *
   * @param done the settled promises
   * @param pending the unsettled promises
   */
  public WaitResult {
    done = Set.copyOf(done);
    pending = Set.copyOf(pending);
  }
}
