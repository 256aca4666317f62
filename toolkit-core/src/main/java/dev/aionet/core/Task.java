package dev.aionet.core;

/**
 * A coroutine scheduled to run on a loop thread: asyncio's {@code Task}.
 *
 * <pre>{@code
 * Task<String> task = Aio.createTask(() -> Aio.sleep(Duration.ofSeconds(1), "done"), "sleeper");
 * task.cancel("stop");              // a request: the sleep is cancelled...
 * // ...and once that settles, task.isCancelled() is true
 * }</pre>
 *
 * <p>The coroutine runs on a later turn, never inside {@link Aio#createTask}. A task is strongly
 * referenced by its loop until it is done, so a fire-and-forget task is never collected
 * mid-flight. A task cancelled before its coroutine ran never runs it. A task whose chain
 * settles with a {@link CancelledException} is {@code CANCELLED}.
 *
 * @param <T> the value type
 * @since 0.1
 */
public interface Task<T> extends Promise<T> {

  /**
   * Returns the task's name ({@code Task-N} unless set).
   *
   * @return the name
   */
  String name();

  /**
   * Renames the task.
   *
   * @param name the new name
   */
  void setName(String name);

  /**
   * Requests cancellation: delivers {@code CancelledException(message)} to what the task awaits
   * now, or, if it awaits nothing yet, when it next would. Adds one to {@link #cancelling()}, at
   * once also when called from another thread (the delivery then hops to the task's loop thread).
   *
   * @param message the cancel message, or {@code null}
   * @return false if the task is done, else true
   */
  @Override
  boolean cancel(String message);

  /**
   * Returns the number of pending cancellation requests (asyncio 3.13 {@code cancelling()}).
   * Thread-safe: it counts every {@link #cancel(String)} that returned true, on any thread.
   *
   * @return the count
   */
  int cancelling();

  /**
   * Withdraws one cancellation request (asyncio 3.13 {@code uncancel()}); reaching zero also
   * withdraws a request not yet delivered. Never goes below zero.
   *
   * <p><b>Threading.</b> Thread-safe: {@code cancel} and {@code uncancel} change the count
   * atomically on the calling thread, so concurrent calls count as asyncio's would one after the
   * other, and the returned count is exact at that moment. A request made on another thread is
   * delivered on the task's loop thread a little later; an {@code uncancel()} that brings the
   * count to zero before it arrives withdraws it, so it is never delivered.
   *
   * @return the remaining count
   */
  int uncancel();
}
