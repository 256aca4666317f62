package dev.aionet.core;

import dev.aionet.core.internal.LeafPromise;
import dev.aionet.core.internal.InterruptSignals;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.core.internal.LoopCore;
import dev.aionet.core.internal.TaskImpl;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An event loop: a Netty {@link EventLoopGroup} plus aionet's turns, tasks and exception handler
 * (asyncio's event loop and {@code Runner}).
 *
 * <pre>{@code
 * try (Loop loop = Loop.create()) {
 *   String hello = loop.runUntilComplete(() -> Aio.sleep(Duration.ofMillis(10), "hello"));
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> One loop thread by default (asyncio's model: code between two awaits never
 * races with other tasks); {@link LoopOptions.Builder#threads(int)} opts into more for servers.
 * Every promise made on a loop thread belongs to that thread.
 *
 * <p><b>Transport.</b> {@link Transport#AUTO} picks epoll where available, else NIO.
 *
 * <p><b>Threading of the methods.</b> {@link #submit}, {@link #newPromise}, {@link #callSoon},
 * {@link #callLater} and the settings are safe from any thread; {@link #runUntilComplete} and
 * {@link #close} must be called off every loop thread.
 *
 * <p><b>After close.</b> Work handed to a closed loop is refused (for a {@linkplain #wrap wrapped}
 * group: once the application shut that group down), and nothing waits for it forever: a task
 * submitted to it, a derivation or task of it whose awaited promise settles on another thread,
 * and a stream read from another thread fail with {@code IllegalStateException("loop is
 * closed")}; a cancel from another thread ends its promise cancelled at once; a buffer a write
 * hands over is released; a callback or timer is dropped. The loop logs one warning naming the
 * first thing it refused (later ones at debug level, so a flood of writes costs one line).
 *
 * @since 0.1
 */
public final class Loop implements AutoCloseable {
  private final LoopCore core;

  private Loop(LoopOptions options) {
    this.core = LoopCore.create(this, options);
  }

  private Loop(EventLoopGroup group) {
    this.core = LoopCore.wrap(this, group);
  }

  /**
   * Creates a loop with one thread and the best transport.
   *
   * @return the loop; close it when done
   */
  public static Loop create() {
    return new Loop(LoopOptions.defaults());
  }

  /**
   * Creates a loop with the given options.
   *
   * @param options threads, transport, debug
   * @return the loop; close it when done
   */
  public static Loop create(LoopOptions options) {
    return new Loop(Objects.requireNonNull(options, "options"));
  }

  /**
   * Wraps a group the application already owns (embedding aionet in a Netty program).
   * {@link #close()} cancels the loop's tasks but does not shut the group down.
   *
   * @param group the group
   * @return the loop
   */
  public static Loop wrap(EventLoopGroup group) {
    return new Loop(Objects.requireNonNull(group, "group"));
  }

  /**
   * Returns the loop of the calling loop thread (asyncio's {@code get_running_loop()}).
   *
   * @return the loop
   * @throws IllegalStateException {@code "no running event loop"} off every loop thread
   */
  public static Loop current() {
    return LoopThread.require().loop().facade();
  }

  /**
   * Returns the loop of the calling loop thread, if it is one.
   *
   * @return the loop, or empty off every loop thread
   */
  public static Optional<Loop> currentIfAny() {
    LoopThread ctx = LoopThread.current();
    return ctx == null ? Optional.empty() : Optional.of(ctx.loop().facade());
  }

  /**
   * Runs {@code main} as a task and blocks until it settles (asyncio's
   * {@code run_until_complete}); other tasks are left running.
   *
   * @param main the coroutine
   * @param <T> the value type
   * @return its value
   * <p><b>Ctrl-C.</b> A SIGINT or SIGTERM while this method waits cancels the task, as
   * {@code asyncio.run} does with Ctrl-C: its derivations run ({@code whenComplete} cleanup...),
   * then this method throws {@link CancelledException}, so the caller's {@code finally} blocks
   * run. If nothing catches that exception, the JVM then exits with the signal's usual status
   * (130 for SIGINT, 143 for SIGTERM); a program that catches it carries on and decides its
   * status itself. A task that ignores the cancellation is waited for at most 5 s. A second
   * signal, or one while no thread waits here, gets the JVM's usual handling (exit at once).
   *
   * @throws IllegalStateException on a loop thread
   * @throws CancelledException if the task was cancelled (also by SIGINT/SIGTERM)
   * @throws RuntimeException its failure (checked failures wrapped in
   *     {@link java.util.concurrent.CompletionException})
   */
  public <T> T runUntilComplete(Coroutine<T> main) {
    if (LoopThread.current() != null) {
      throw new IllegalStateException("runUntilComplete() cannot be called from a running event loop");
    }
    return InterruptSignals.runUntilComplete(() -> submit(main));
  }

  /**
   * Runs {@code coroutine} as a task on this loop, from any thread; on one of this loop's
   * threads the task belongs to the calling thread, else to the next thread in turn.
   *
   * @param coroutine the coroutine
   * @param <T> the value type
   * @return the task; on a closed loop it fails with {@code IllegalStateException("loop is
   *     closed")} without running the coroutine
   */
  public <T> Task<T> submit(Coroutine<T> coroutine) {
    return TaskImpl.start(core.currentOrNext(), coroutine, null);
  }

  /**
   * Creates a pending promise owned by one of this loop's threads (the calling one if it is one).
   *
   * @param <T> the value type
   * @return the promise
   */
  public <T> CompletablePromise<T> newPromise() {
    return new LeafPromise<>(core.currentOrNext());
  }

  /**
   * Runs {@code callback} on a later turn of a loop thread (asyncio's {@code call_soon}, and
   * {@code call_soon_threadsafe} from another thread). What it throws goes to the exception
   * handler. On a closed loop the callback never runs and the loop's one warning about refused
   * work names it (asyncio raises {@code RuntimeError} there).
   *
   * @param callback the callback
   */
  public void callSoon(Runnable callback) {
    core.currentOrNext().callSoonFromAnyThread(Objects.requireNonNull(callback, "callback"));
  }

  /**
   * Runs {@code callback} on a loop thread after {@code delay} (asyncio's {@code call_later}).
   *
   * @param delay the delay; negative counts as zero
   * @param callback the callback
   * @return a handle that can cancel it
   */
  public TimerHandle callLater(Duration delay, Runnable callback) {
    Objects.requireNonNull(delay, "delay");
    return core.currentOrNext().callLater(delay, Objects.requireNonNull(callback, "callback"));
  }

  /**
   * Returns the loop's monotonic clock (asyncio's {@code loop.time()}).
   *
   * @return seconds
   */
  public double time() {
    return core.time();
  }

  /**
   * Returns whether debug mode is on.
   *
   * @return true in debug mode
   */
  public boolean isDebug() {
    return core.isDebug();
  }

  /**
   * Turns debug mode on or off (asyncio's {@code set_debug}).
   *
   * @param on true for debug mode
   */
  public void setDebug(boolean on) {
    core.setDebug(on);
  }

  /**
   * Sets the handler of errors that reach no caller: a callback that throws, a handler's failure,
   * a task exception never retrieved (asyncio's {@code set_exception_handler}).
   *
   * @param handler the handler, or {@code null} to restore the default (log through SLF4J)
   */
  public void setExceptionHandler(Consumer<LoopError> handler) {
    core.setExceptionHandler(handler);
  }

  /**
   * Returns what the loop is doing and how well it keeps up: tasks alive and callbacks ready now,
   * turns and slow turns since it started, the longest turn and the latest timer since the
   * previous call (see {@link LoopStats}). asyncio has no equivalent; the counting is always on
   * (debug mode or not) and costs each turn two clock reads and no allocation.
   *
   * <p>Any thread; each call starts a new period for the two maxima, so one watcher should call
   * it (at a fixed interval, say). A turn that takes longer than the slow-callback duration is
   * also recorded as a {@code dev.aionet.SlowTurn} JFR event when a recording is running.
   *
   * @return a snapshot
   */
  public LoopStats stats() {
    return core.stats();
  }

  /**
   * Returns the Netty group under this loop.
   *
   * @return the group
   */
  public EventLoopGroup group() {
    return core.group();
  }

  /**
   * Returns the transport this loop's threads run.
   *
   * @return {@link Transport#NIO}, {@link Transport#EPOLL} or {@link Transport#IO_URING}
   */
  public Transport transport() {
    return core.transport();
  }

  /**
   * Closes the loop gracefully: cancels every unfinished task, waits for them (at most 5 s for
   * tasks that ignore cancellation, which are then reported to the exception handler), and stops
   * the threads without a quiet period. Closing twice is harmless. What is handed to the loop
   * afterwards is refused (see "After close" above): promises settle, buffers are released.
   *
   * @throws IllegalStateException on a loop thread
   */
  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return "Loop[" + core.transport()
        + (core.isClosed() ? ", closed" : "") + "]";
  }
}
