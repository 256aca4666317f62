package dev.aionet.core;

/**
 * A semaphore that refuses to be released more often than acquired: asyncio's
 * {@code BoundedSemaphore}. Everything else is {@link AsyncSemaphore}.
 */
public final class AsyncBoundedSemaphore extends AsyncSemaphore {

  /**
   * Creates a semaphore with {@code value} permits, never more.
   *
   * @param value the initial and largest number of permits
   * @throws IllegalArgumentException if {@code value < 0}
   */
  public AsyncBoundedSemaphore(int value) {
    super(value, value, "BoundedSemaphore released too many times");
  }

  /**
   * Returns a permit.
   *
   * @throws IllegalStateException {@code "BoundedSemaphore released too many times"} when that
   *     would make more permits than the initial value (asyncio raises {@code ValueError}:
   *     docs/differences-from-asyncio.md); the count is unchanged
   */
  @Override
  public void release() {
    super.release();
  }
}
