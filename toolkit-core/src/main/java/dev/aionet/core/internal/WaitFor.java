package dev.aionet.core.internal;

import dev.aionet.core.Promise;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code Aio.waitFor}: asyncio 3.12+'s {@code wait_for}, a thin layer over the timeout scope
 * ({@code async with timeout(t): return await fut}).
 *
 * <p>A timeout of zero or less takes asyncio's special path: a settled promise gives its outcome
 * at once; a pending one is cancelled at once (a task that has not started never starts), waited
 * for, and the waitFor fails with {@code AsyncTimeoutException} unless it produced a value anyway.
 */
public final class WaitFor {
  private WaitFor() {}

  public static <T> Promise<T> start(Promise<T> promise, Duration timeout) {
    Objects.requireNonNull(promise, "promise");
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      TimeoutScopeImpl<T> scope = TimeoutScopeImpl.start(Double.POSITIVE_INFINITY, s -> promise);
      scope.expireNow();
      return scope;
    }
    return TimeoutScopeImpl.start(TimeoutScopeImpl.deadlineAfter(timeout), s -> promise);
  }
}
