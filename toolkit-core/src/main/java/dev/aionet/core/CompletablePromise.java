package dev.aionet.core;

import dev.aionet.core.internal.Promises;

/**
 * A promise its creator settles: asyncio's {@code loop.create_future()} with
 * {@code set_result}/{@code set_exception}.
 *
 * <pre>{@code
 * CompletablePromise<String> p = CompletablePromise.create();   // on a loop thread
 * assertTrue(p.complete("done"));
 * assertFalse(p.complete("again"));                            // settled once; never overwritten
 * }</pre>
 *
 * <p>{@link #complete} and {@link #fail} are safe from any thread; callbacks still run on the
 * owning loop thread. Cancelling a pending CompletablePromise cancels it at once: it is a leaf.
 *
 * @param <T> the value type
 * @since 0.1
 */
public interface CompletablePromise<T> extends Promise<T> {

  /**
   * Creates a promise owned by the calling loop thread.
   *
   * @param <T> the value type
   * @return a pending promise
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread (use
   *     {@link Loop#newPromise()})
   */
  static <T> CompletablePromise<T> create() {
    return Promises.create();
  }

  /**
   * Settles the promise with a value. Thread-safe.
   *
   * @param value the value, may be {@code null}
   * @return false if it was already settled (nothing changes), else true
   */
  boolean complete(T value);

  /**
   * Settles the promise with a failure. Thread-safe. A {@link CancelledException} makes it
   * {@code FAILED} with that exception; use {@link #cancel()} to cancel it.
   *
   * @param error the failure
   * @return false if it was already settled (nothing changes), else true
   */
  boolean fail(Throwable error);
}
