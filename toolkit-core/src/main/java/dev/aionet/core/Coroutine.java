package dev.aionet.core;

/**
 * A function that returns a promise: aionet's {@code async def}.
 *
 * <p>A coroutine is called on a loop thread, once, by the {@link Task} that runs it. If
 * {@link #call()} throws, the task fails with that exception; otherwise the task settles as the
 * returned promise settles.
 *
 * <pre>{@code
 * Coroutine<String> hello = () -> Aio.sleep(Duration.ofMillis(10), "hello");
 * assertEquals("hello", Aio.run(hello));
 * }</pre>
 *
 * @param <T> the type of the eventual value
 * @since 0.1
 */
@FunctionalInterface
public interface Coroutine<T> {
  /**
   * Starts the work and returns the promise of its result.
   *
   * @return the promise of the result; never {@code null}
   * @throws Exception any failure, which fails the task running this coroutine
   */
  Promise<T> call() throws Exception;
}
