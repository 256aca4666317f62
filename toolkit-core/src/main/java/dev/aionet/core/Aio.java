package dev.aionet.core;

import dev.aionet.core.internal.AsCompleted;
import dev.aionet.core.internal.AsyncBody;
import dev.aionet.core.internal.Gather;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.core.internal.RepeatWhile;
import dev.aionet.core.internal.Shield;
import dev.aionet.core.internal.Sleep;
import dev.aionet.core.internal.TaskGroupImpl;
import dev.aionet.core.internal.TaskImpl;
import dev.aionet.core.internal.TimeoutScopeImpl;
import dev.aionet.core.internal.ToThread;
import dev.aionet.core.internal.Wait;
import dev.aionet.core.internal.WaitFor;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The asyncio module: run a program, create tasks, sleep, and compose promises.
 *
 * <table>
 *   <caption>asyncio and aionet</caption>
 *   <tr><th>asyncio</th><th>aionet</th></tr>
 *   <tr><td>{@code asyncio.run(main())}</td><td>{@code Aio.run(Main::main)}</td></tr>
 *   <tr><td>{@code asyncio.create_task(coro())}</td><td>{@code Aio.createTask(() -> coro())}</td></tr>
 *   <tr><td>{@code async def f(): ...}</td><td>{@code Aio.async(() -> { ... })}</td></tr>
 *   <tr><td>{@code x = await aw}</td><td>{@code x = Aio.await(p)} (inside {@code Aio.async})</td></tr>
 *   <tr><td>{@code await asyncio.sleep(1)}</td><td>{@code Aio.sleep(Duration.ofSeconds(1))}</td></tr>
 *   <tr><td>{@code asyncio.current_task()}</td><td>{@code Aio.currentTask()}</td></tr>
 *   <tr><td>{@code await asyncio.gather(a, b)}</td><td>{@code Aio.gather(a, b)}</td></tr>
 *   <tr><td>{@code gather(*aws, return_exceptions=True)}</td><td>{@code Aio.gatherSettled(aws)}</td></tr>
 *   <tr><td>{@code await asyncio.wait_for(aw, 1)}</td><td>{@code Aio.waitFor(p, Duration.ofSeconds(1))}</td></tr>
 *   <tr><td>{@code async with asyncio.timeout(1):}</td><td>{@code Aio.timeout(Duration.ofSeconds(1), () -> body())}</td></tr>
 *   <tr><td>{@code async with asyncio.timeout_at(when) as cm:}</td><td>{@code Aio.timeoutAt(when, cm -> body())}</td></tr>
 *   <tr><td>{@code await asyncio.shield(aw)}</td><td>{@code Aio.shield(p)}</td></tr>
 *   <tr><td>{@code done, pending = await asyncio.wait(fs)}</td><td>{@code Aio.wait(ps, ReturnWhen.ALL_COMPLETED)}</td></tr>
 *   <tr><td>{@code for f in asyncio.as_completed(fs):}</td><td>{@code Aio.asCompleted(ps)}</td></tr>
 *   <tr><td>{@code while await step(): pass}</td><td>{@code Aio.repeatWhile(() -> step())}</td></tr>
 *   <tr><td>{@code async with asyncio.TaskGroup() as tg:}</td><td>{@code Aio.taskGroup(tg -> body(tg))}</td></tr>
 *   <tr><td>{@code await asyncio.to_thread(f)}</td><td>{@code Aio.toThread(() -> f())}</td></tr>
 * </table>
 *
 * <p><b>Threading.</b> Every function except {@link #run} needs a running loop: called off every
 * loop thread it throws {@code IllegalStateException("no running event loop")} (see the package documentation, "Threads").
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
   * <p>On Ctrl-C (SIGINT) or SIGTERM main is cancelled, its cleanup runs, the loop closes and
   * this method throws {@link CancelledException}; uncaught, the JVM then exits with 130 or 143
   * (see {@link Loop#runUntilComplete}):
   *
   * <pre>{@code
   * try {
   *   Aio.run(() -> server.serveForever().whenComplete((v, e) -> System.out.println("closed")));
   * } finally {
   *   System.out.println("bye");   // runs on Ctrl-C too
   * }
   * }</pre>
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
    if (LoopThread.current() != null) {
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
    return TaskImpl.start(LoopThread.require(), coroutine, null);
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
    return TaskImpl.start(LoopThread.require(), coroutine, Objects.requireNonNull(name, "name"));
  }

  /**
   * Starts {@code body}, plain sequential code that may {@link #await} promises, as a task of the
   * calling loop thread (asyncio's {@code create_task} of an {@code async def}); it starts on a
   * later turn. Call it where {@link #createTask} may be called: on a loop thread or in a body.
   *
   * <pre>{@code
   * Task<String> t = Aio.async(() -> {
   *   Aio.await(Aio.sleep(Duration.ofSeconds(1)));   // suspends; the loop runs other work
   *   return "Ciao";
   * });
   * }</pre>
   *
   * <p><b>Exclusion.</b> Between two awaits the body has its loop thread to itself: no other
   * callback, task step or I/O event of that thread runs meanwhile (asyncio's guarantee), so plain
   * fields shared with the thread's other tasks need no locks. All that works on a loop thread
   * works in a body ({@link #currentTask()} is the body's task). A blocking call holds the loop
   * thread, as in a coroutine, and debug mode reports it as a slow callback named after the task:
   * use {@link #sleep} and {@link #toThread}.
   *
   * <p><b>Outcome and cancellation.</b> The task takes the body's value or exception; a
   * {@link CancelledException} let out ends it {@code CANCELLED}, one caught ends it normally.
   * Cancelling the task cancels the promise the body awaits, whose {@code await} then throws
   * {@link CancelledException}; a cancel that arrives while the body runs is thrown by its next
   * await of a pending promise, and a value already arrived is never lost to it. Closing the loop
   * cancels unfinished bodies; one still running after the close's grace period is interrupted and
   * its awaits throw an {@code Error}: no body thread outlives its loop.
   *
   * <p><b>Mechanism, by JDK.</b> A body runs on a thread of its own, only while its loop thread
   * has handed it the loop: the loop thread waits until the body awaits a pending promise or ends,
   * and resumes it on its own turn. Java 17: a platform thread (each suspension switches OS
   * threads: same semantics, slower). Java 21 to 23: a virtual thread. Java 24+: a virtual thread
   * whose carrier is the loop thread itself, when {@code java.base/java.lang} is opened to aionet
   * ({@code --add-opens java.base/java.lang=ALL-UNNAMED}, or {@code Add-Opens} in a jar manifest),
   * else as on 21. No flag is needed for correctness. In a body {@code Thread.currentThread()} is
   * that thread, but aionet's objects behave as on the loop thread.
   *
   * @param body the body
   * @param <T> the value type
   * @return the task
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread
   * @since 0.2
   */
  public static <T> Task<T> async(Callable<T> body) {
    return AsyncBody.start(body, null);
  }

  /**
   * As {@link #async(Callable)}, with a name.
   *
   * @param body the body
   * @param name the task's name
   * @param <T> the value type
   * @return the task
   * @since 0.2
   */
  public static <T> Task<T> async(Callable<T> body, String name) {
    return AsyncBody.start(body, Objects.requireNonNull(name, "name"));
  }

  /**
   * Returns the value of {@code promise} once it settles (asyncio's {@code await}). Inside an
   * async body: a settled promise returns at once (no turn passes); a pending one suspends the
   * body while its loop thread runs other work, and the body resumes on that thread's turn.
   *
   * <p>Throws as {@link Promise#result()}: the failure itself when unchecked,
   * {@link CancelledException} when cancelled (also when the body's task is cancelled meanwhile),
   * a checked failure wrapped in {@link java.util.concurrent.CompletionException}.
   *
   * <p>On a thread of no loop it blocks like {@link Promise#join()}.
   *
   * @param promise the promise
   * @param <T> the value type
   * @return its value
   * @throws IllegalStateException on a loop thread outside an async body (it would block the
   *     loop), even for a settled promise, so the mistake shows the first time
   * @since 0.2
   */
  public static <T> T await(Promise<T> promise) {
    return AsyncBody.await(promise);
  }

  /**
   * Returns whether the calling code runs inside an async body ({@link #async}).
   *
   * @return true inside an async body
   * @since 0.2
   */
  public static boolean inAsyncBody() {
    return AsyncBody.inBody();
  }

  /**
   * Returns the task running now: inside a task's coroutine or one of its derivations, that task;
   * inside a plain callback, empty.
   *
   * @return the current task
   */
  public static Optional<Task<?>> currentTask() {
    return Optional.ofNullable(LoopThread.require().currentTask());
  }

  /**
   * Returns every unfinished task of the current loop, on all its threads.
   *
   * @return a snapshot
   */
  public static Set<Task<?>> allTasks() {
    return LoopThread.require().loop().allTasks();
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

  /**
   * Returns a promise of the values of {@code promises}, in argument order, once all succeeded
   * (asyncio's {@code gather}).
   *
   * <p>Fails with the first failure; the other promises keep running (asyncio), and their later
   * failures count as retrieved. A promise that is cancelled counts as a failure with its
   * {@link CancelledException}: the gather is then {@code FAILED}, not {@code CANCELLED}, and
   * the others are not cancelled. A promise given twice is awaited once and its value appears
   * twice. {@code gather()} of nothing is an already-completed empty list.
   *
   * <p><b>Cancellation.</b> Cancelling the gather cancels every unfinished promise; it returns
   * whether any accepted, and the gather ends {@code CANCELLED} once they settle. After the
   * gather is done, {@code cancel()} returns false and cancels nothing.
   *
   * @param promises the promises
   * @param <T> the value type
   * @return the values in argument order (an unmodifiable list that may hold nulls)
   */
  @SafeVarargs
  public static <T> Promise<List<T>> gather(Promise<? extends T>... promises) {
    return Gather.all(Arrays.asList(promises));
  }

  /**
   * As {@link #gather(Promise[])}, over a collection, in its iteration order.
   *
   * @param promises the promises
   * @param <T> the value type
   * @return the values in order
   */
  public static <T> Promise<List<T>> gather(Collection<? extends Promise<? extends T>> promises) {
    return Gather.all(promises);
  }

  /**
   * Returns a promise of every outcome of {@code promises}, in order, once all settled (asyncio's
   * {@code gather(..., return_exceptions=True)}). It never fails because of a child: a failure
   * is an {@link Outcome} with its error, a cancellation one whose error is a
   * {@link CancelledException}. Cancelling it cancels every unfinished promise and it ends
   * {@code CANCELLED} (asyncio bpo-32684).
   *
   * @param promises the promises
   * @param <T> the value type
   * @return the outcomes in order
   */
  public static <T> Promise<List<Outcome<T>>> gatherSettled(Collection<? extends Promise<? extends T>> promises) {
    return Gather.settled(promises);
  }

  /**
   * Returns a promise that settles like {@code promise}, or fails with
   * {@link AsyncTimeoutException} if it takes longer than {@code timeout} (asyncio 3.12+
   * {@code wait_for}, built on {@link #timeout(Duration, Coroutine)}).
   *
   * <p>On timeout the promise is cancelled and waited for; the waitFor then fails with
   * {@link AsyncTimeoutException} whose cause is the cancellation, unless the promise produced a
   * value (or another failure) anyway, which is then the outcome. A timeout of zero or less
   * cancels a pending promise at once (an unstarted task never starts); a settled one gives its
   * outcome. {@code null} means no timeout.
   *
   * <p><b>Cancellation.</b> Cancelling the waitFor cancels the promise. The caller's cancellation
   * always wins (gh-86296): if the promise's value arrives at the moment the waitFor is
   * cancelled, the waitFor ends {@code CANCELLED} and that value is dropped; a value that needs
   * closing must be closed by whoever produced it.
   *
   * @param promise the promise to wait for
   * @param timeout the timeout, negative counting as zero, or {@code null} for none
   * @param <T> the value type
   * @return the promise's outcome, or the timeout
   */
  public static <T> Promise<T> waitFor(Promise<T> promise, Duration timeout) {
    return WaitFor.start(promise, timeout);
  }

  /**
   * Runs {@code body} now with a deadline {@code delay} from now (asyncio's {@code async with
   * timeout(delay)}); see {@link #timeout(Duration, ThrowingFunction)}.
   *
   * @param delay the delay, negative counting as zero, or {@code null} for no deadline
   * @param body the body
   * @param <T> the value type
   * @return the body's outcome, or {@link AsyncTimeoutException}
   */
  public static <T> Promise<T> timeout(Duration delay, Coroutine<T> body) {
    return TimeoutScopeImpl.start(TimeoutScopeImpl.deadlineAfter(delay), body);
  }

  /**
   * Runs {@code body} now, with a {@link TimeoutScope} whose deadline is {@code delay} from now
   * (asyncio's {@code async with timeout(delay) as cm}).
   *
   * <p>When the deadline passes, the promise the body returned is cancelled (the request travels
   * inward); if it then settles as cancelled, the result fails with
   * {@link AsyncTimeoutException} whose cause is that {@link CancelledException}. Any other
   * outcome passes through: a value, a failure (one raised while the scope expires carries a
   * suppressed {@link AsyncTimeoutException}, as asyncio 3.13 chains its {@code TimeoutError}),
   * and a cancellation that the scope did not cause (only its own expiry becomes a timeout). With nested scopes of the same deadline both report
   * {@link TimeoutScope#expired()} and only the outermost fails with the timeout. A deadline of
   * zero expires on the next turn, unless the body's promise is already settled.
   *
   * <p><b>Cancellation.</b> Cancelling the result cancels the body's promise and the result ends
   * {@code CANCELLED}, even when the deadline passed in the same turn.
   *
   * @param delay the delay, negative counting as zero, or {@code null} for no deadline
   * @param body the body; it receives the scope and returns its promise
   * @param <T> the value type
   * @return the body's outcome, or {@link AsyncTimeoutException}
   */
  public static <T> Promise<T> timeout(Duration delay, ThrowingFunction<TimeoutScope, Promise<T>> body) {
    return TimeoutScopeImpl.start(TimeoutScopeImpl.deadlineAfter(delay), body);
  }

  /**
   * As {@link #timeout(Duration, ThrowingFunction)}, with the deadline {@code when} in
   * {@linkplain Loop#time() loop time} (asyncio's {@code timeout_at}).
   *
   * @param when the deadline in loop time; {@link Double#POSITIVE_INFINITY} for none
   * @param body the body
   * @param <T> the value type
   * @return the body's outcome, or {@link AsyncTimeoutException}
   * @throws IllegalArgumentException if {@code when} is NaN
   */
  public static <T> Promise<T> timeoutAt(double when, ThrowingFunction<TimeoutScope, Promise<T>> body) {
    return TimeoutScopeImpl.start(when, body);
  }

  /**
   * Returns a promise that settles like {@code promise} but whose cancellation does not cancel
   * {@code promise} (asyncio's {@code shield}). A promise already settled is returned as it is.
   *
   * @param promise the promise to protect
   * @param <T> the value type
   * @return the shield
   */
  public static <T> Promise<T> shield(Promise<T> promise) {
    return Shield.start(promise);
  }

  /**
   * Returns a promise of the (done, pending) split of {@code promises} once {@code when} is met
   * (asyncio's {@code wait}). Duplicates count once. It never fails because of a promise and
   * cancels nothing; {@link ReturnWhen#FIRST_EXCEPTION} ignores cancelled promises. Call it as
   * {@code Aio.wait(...)}: a static import is shadowed by {@code Object.wait}.
   *
   * @param promises the promises; not empty
   * @param when when to return
   * @param <T> the value type
   * @return the split
   * @throws IllegalArgumentException if {@code promises} is empty
   */
  public static <T> Promise<WaitResult<T>> wait(Collection<? extends Promise<T>> promises, ReturnWhen when) {
    return Wait.start(promises, when, null);
  }

  /**
   * As {@link #wait(Collection, ReturnWhen)}; after {@code timeout} it completes (not fails) with
   * what is done by then, leaving the rest running.
   *
   * @param promises the promises; not empty
   * @param when when to return
   * @param timeout the timeout, negative counting as zero, or {@code null} for none
   * @param <T> the value type
   * @return the split
   */
  public static <T> Promise<WaitResult<T>> wait(Collection<? extends Promise<T>> promises, ReturnWhen when,
      Duration timeout) {
    return Wait.start(promises, when, timeout);
  }

  /**
   * Returns an iterator of one new promise per distinct promise of {@code promises}: the n-th
   * settles like the n-th of them to settle (asyncio's {@code as_completed}). Use it on the
   * calling loop thread.
   *
   * @param promises the promises
   * @param <T> the value type
   * @return the iterator
   */
  public static <T> Iterator<Promise<T>> asCompleted(Collection<? extends Promise<T>> promises) {
    return AsCompleted.start(promises, null);
  }

  /**
   * As {@link #asCompleted(Collection)}; once {@code timeout} passes, the promises not yet
   * settled fail with {@link AsyncTimeoutException} (the originals are not cancelled).
   *
   * @param promises the promises
   * @param timeout the timeout, negative counting as zero, or {@code null} for none
   * @param <T> the value type
   * @return the iterator
   */
  public static <T> Iterator<Promise<T>> asCompleted(Collection<? extends Promise<T>> promises, Duration timeout) {
    return AsCompleted.start(promises, timeout);
  }

  /**
   * Calls {@code iteration} now and again while its promise completes with {@code true}: a
   * do-while loop over promises, in constant stack and constant memory however many iterations
   * complete at once. It completes when an iteration yields {@code false}, fails with the first
   * failure (a {@code null} value is a {@link NullPointerException}), and cancelling it cancels
   * the pending iteration.
   *
   * @param iteration one step of the loop
   * @return completes when the loop ends
   */
  public static Promise<Void> repeatWhile(Coroutine<Boolean> iteration) {
    return RepeatWhile.start(iteration);
  }

  /**
   * Runs {@code blocking} on another thread and returns a promise of its outcome, whose
   * continuations resume on the calling loop thread (asyncio's {@code to_thread}). Virtual
   * threads where the JVM has them (Java 21+), else a pool of {@code min(32, cpus + 4)}
   * platform threads. Cancelling the promise interrupts the thread.
   *
   * @param blocking the blocking code
   * @param <T> the value type
   * @return its outcome
   */
  public static <T> Promise<T> toThread(Callable<T> blocking) {
    return ToThread.start(blocking);
  }

  /**
   * Runs {@code body} now with a new {@link TaskGroup} and returns a promise that settles once
   * the body's promise and every child task are done (asyncio's {@code TaskGroup}).
   *
   * <p>The first child failure (or a body failure) cancels the other children and the body; the
   * group then fails with a {@link TaskGroupException} holding every non-cancellation failure in
   * the order they happened. Otherwise it completes with the body's value. A child cancelled on
   * its own is no failure.
   *
   * <p><b>Cancellation.</b> Cancelling the group cancels the body's promise and every child; the
   * group then ends {@code CANCELLED}, unless there were failures, which win (asyncio 3.13), or
   * the body recovered from the cancellation with a value (a coroutine catching
   * {@code CancelledError}), which is then the group's value. After the group finished, or while
   * it shuts down, {@link TaskGroup#createTask} throws {@link IllegalStateException}.
   *
   * @param body the body; it receives the group and returns its promise
   * @param <T> the value type
   * @return the body's value once every child is done
   */
  public static <T> Promise<T> taskGroup(ThrowingFunction<TaskGroup, Promise<T>> body) {
    return TaskGroupImpl.start(body);
  }
}
