package dev.aionet.core;

import dev.aionet.core.internal.LoopContext;
import dev.aionet.core.internal.Sleep;
import dev.aionet.core.internal.TaskImpl;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The asyncio module: run a program, create tasks, sleep, and compose promises.
 *
 * <table>
 *   <caption>asyncio and aionet</caption>
 *   <tr><th>asyncio</th><th>aionet</th></tr>
 *   <tr><td>{@code asyncio.run(main())}</td><td>{@code Aio.run(Main::main)}</td></tr>
 *   <tr><td>{@code asyncio.create_task(coro())}</td><td>{@code Aio.createTask(() -> coro())}</td></tr>
 *   <tr><td>{@code await asyncio.sleep(1)}</td><td>{@code Aio.sleep(Duration.ofSeconds(1))}</td></tr>
 *   <tr><td>{@code asyncio.current_task()}</td><td>{@code Aio.currentTask()}</td></tr>
 * </table>
 *
 * <p><b>Threading.</b> Every function except {@link #run} needs a running loop: called off every
 * loop thread it throws {@code IllegalStateException("no running event loop")} (API.md rule 7).
 * {@link #run} is the opposite: it is refused on a loop thread.
 *
 * @since 0.1
 */
public final class Aio {
  private Aio() {}

  /**
   * Runs {@code main} on a new one-thread loop, then cancels the tasks it left, closes the loop
   * and returns main's value (asyncio's {@code asyncio.run}).
   *
   * @param main the program
   * @param <T> the value type
   * @return main's value
   * @throws IllegalStateException on a loop thread
   * @throws CancelledException if main was cancelled
   * @throws RuntimeException main's failure (checked failures wrapped in
   *     {@link java.util.concurrent.CompletionException})
   */
  public static <T> T run(Coroutine<T> main) {
    return run(main, LoopOptions.defaults());
  }

  /**
   * As {@link #run(Coroutine)}, on a loop built with {@code options}.
   *
   * @param main the program
   * @param options threads, transport, debug
   * @param <T> the value type
   * @return main's value
   */
  public static <T> T run(Coroutine<T> main, LoopOptions options) {
    Objects.requireNonNull(main, "main");
    Objects.requireNonNull(options, "options");
    if (LoopContext.current() != null) {
      throw new IllegalStateException("Aio.run() cannot be called from a running event loop");
    }
    try (Loop loop = Loop.create(options)) {
      return loop.runUntilComplete(main);
    }
  }

  /**
   * Schedules {@code coroutine} as a task on the current loop thread; it starts on a later turn,
   * never inside this call (asyncio's {@code create_task}).
   *
   * @param coroutine the coroutine
   * @param <T> the value type
   * @return the task
   */
  public static <T> Task<T> createTask(Coroutine<T> coroutine) {
    return TaskImpl.start(LoopContext.require(), coroutine, null);
  }

  /**
   * As {@link #createTask(Coroutine)}, with a name.
   *
   * @param coroutine the coroutine
   * @param name the task's name
   * @param <T> the value type
   * @return the task
   */
  public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
    return TaskImpl.start(LoopContext.require(), coroutine, Objects.requireNonNull(name, "name"));
  }

  /**
   * Returns the task running now: inside a task's coroutine or one of its derivations, that task;
   * inside a plain callback, empty.
   *
   * @return the current task
   */
  public static Optional<Task<?>> currentTask() {
    return Optional.ofNullable(LoopContext.require().currentTask());
  }

  /**
   * Returns every unfinished task of the current loop, on all its threads.
   *
   * @return a snapshot
   */
  public static Set<Task<?>> allTasks() {
    return LoopContext.require().loop().allTasks();
  }

  /**
   * Returns a promise that completes after {@code delay}; cancelling it cancels its timer.
   * {@code sleep(Duration.ZERO)} yields exactly one turn.
   *
   * @param delay the delay; negative counts as zero
   * @return the promise
   */
  public static Promise<Void> sleep(Duration delay) {
    return Sleep.start(delay, null);
  }

  /**
   * As {@link #sleep(Duration)}, completing with {@code result}.
   *
   * @param delay the delay; negative counts as zero
   * @param result the value
   * @param <T> the value type
   * @return the promise
   */
  public static <T> Promise<T> sleep(Duration delay, T result) {
    return Sleep.start(delay, result);
  }
}
