package dev.aionet.core;

/**
 * Structured concurrency: asyncio's {@code TaskGroup}, received by the body of
 * {@link Aio#taskGroup}.
 *
 * <pre>{@code
 * Promise<List<Integer>> both = Aio.taskGroup(group -> {
 *   Task<Integer> a = group.createTask(() -> fetch("a"));
 *   Task<Integer> b = group.createTask(() -> fetch("b"));
 *   return Aio.gather(a, b);
 * });
 * }</pre>
 *
 * <p>The group's promise completes when the body's promise and every child are done. The first
 * child failure cancels the other children and the body; the group then fails with a
 * {@link TaskGroupException} holding every non-cancellation failure. Cancelling the group's
 * promise cancels every child. A child added after the group finished is refused with
 * {@link IllegalStateException}.
 *
 * @since 0.1
 */
public interface TaskGroup {

  /**
   * Creates a child task in this group, on the group's loop thread.
   *
   * @param coroutine the child's coroutine
   * @param <T> the value type
   * @return the child task
   * @throws IllegalStateException if the group is finished or shutting down
   */
  <T> Task<T> createTask(Coroutine<T> coroutine);

  /**
   * Creates a named child task in this group.
   *
   * @param coroutine the child's coroutine
   * @param name the task's name
   * @param <T> the value type
   * @return the child task
   * @throws IllegalStateException if the group is finished or shutting down
   */
  <T> Task<T> createTask(Coroutine<T> coroutine, String name);
}
