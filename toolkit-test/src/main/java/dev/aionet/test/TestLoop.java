package dev.aionet.test;

import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.CancelledException;
import dev.aionet.core.Coroutine;
import dev.aionet.core.Loop;
import dev.aionet.core.LoopError;
import dev.aionet.core.Task;
import dev.aionet.core.internal.LoopThread;
import dev.aionet.test.internal.TaskReport;
import dev.aionet.test.internal.VirtualTimeDriver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-thread loop on a virtual clock: an hour of timeouts runs in milliseconds, and every
 * timer fires with {@link #time()} exactly at its deadline (Kotlin's {@code runTest}, Trio's
 * {@code MockClock(autojump_threshold)}).
 *
 * <pre>{@code
 * try (TestLoop t = TestLoop.create()) {
 *   String v = t.run(() -> Aio.sleep(Duration.ofHours(1), "done"));   // milliseconds of real time
 *   assertEquals("done", v);
 *   assertEquals(3600.0, t.time());                                   // exactly one virtual hour
 * }
 * }</pre>
 *
 * <p><b>One clock.</b> The virtual clock drives every clock of the loop: {@code Loop.time()},
 * {@code Aio.sleep}, {@code callLater}/{@code callAt}, {@code waitFor}, {@code timeout}, the
 * servers' idle, read and TLS handshake timeouts, and Netty handlers that read the event loop's
 * ticker ({@code IdleStateHandler}). It starts at 0.
 *
 * <p><b>When it moves.</b> With {@linkplain TestLoopOptions.Builder#autoAdvance auto-advance}
 * (the default) the clock jumps to the earliest timer once nothing is ready to run, no
 * continuation is pending, no {@code Aio.async} body is running between two awaits (computing or
 * in a blocking call), no {@code Aio.toThread} call is running and, while a channel is open,
 * nothing happened for {@linkplain TestLoopOptions.Builder#ioGrace ioGrace} of real time (so a
 * real peer that answers within the grace is read before a timeout fires). {@link #advanceBy}
 * moves it by hand. Work done on other threads of the test is not waited for (only
 * {@code toThread} is): complete promises from such threads before the loop goes idle, or give
 * them a timer to wait on.
 *
 * <p><b>Threading.</b> The loop has one thread; {@link #run}, {@link #advanceBy} and
 * {@link #close} are called from another thread (the test's). Tasks, promises and streams are
 * used on the loop exactly as on a {@link Loop#create() real loop}: {@link #loop()} is a real
 * {@code Loop}.
 *
 * <p><b>Errors.</b> What reaches the loop's exception handler is logged through SLF4J and kept;
 * {@link AionetExtension} fails the test on it.
 *
 * @since 0.2
 */
public final class TestLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TestLoop.class);
  private static final AtomicInteger IDS = new AtomicInteger();

  private final TestLoopOptions options;
  private final VirtualTimeDriver driver;
  private final Loop loop;
  private final List<LoopError> errors = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private TestLoop(TestLoopOptions options) {
    this.options = options;
    this.driver = VirtualTimeDriver.start("aionet-test-" + IDS.incrementAndGet(), options.autoAdvance(),
        options.ioGrace());
    try {
      this.loop = Loop.wrap(driver.eventLoop());
    } catch (RuntimeException | Error e) {
      driver.shutdown();
      throw e;
    }
    loop.setExceptionHandler(this::onError);
  }

  /**
   * Creates a loop with the default options: auto-advance, 20 ms I/O grace, 60 s real timeout.
   *
   * @return the loop, running; close it when done
   */
  public static TestLoop create() {
    return new TestLoop(TestLoopOptions.defaults());
  }

  /**
   * Creates a loop with {@code options}.
   *
   * @param options how the clock moves
   * @return the loop, running; close it when done
   */
  public static TestLoop create(TestLoopOptions options) {
    return new TestLoop(Objects.requireNonNull(options, "options"));
  }

  /**
   * Runs {@code main} as a task on this loop and returns its value, as {@code Aio.run} does, but
   * leaves the loop open and the other tasks running (asyncio's {@code run_until_complete}).
   *
   * <p>A main that can never finish (nothing ready, no timer, no channel open, no call running
   * off the loop) is cancelled at once and {@link DeadlockException} names every unfinished task
   * and what it awaits. A main still running after
   * {@linkplain TestLoopOptions.Builder#realTimeout realTimeout} of real time is cancelled and
   * {@link AsyncTimeoutException} is thrown, naming the tasks the same way.
   *
   * @param main the program
   * @param <T> the value type
   * @return main's value
   * @throws DeadlockException if main can never finish
   * @throws CancelledException if main was cancelled
   * @throws AsyncTimeoutException if main took longer than the real timeout (or failed with it)
   * @throws RuntimeException main's failure (checked failures wrapped in
   *     {@link java.util.concurrent.CompletionException})
   * @throws IllegalStateException on a loop thread, after {@link #close()}, or while another
   *     {@code run} is in progress
   */
  public <T> T run(Coroutine<T> main) {
    Objects.requireNonNull(main, "main");
    refuseOnLoopThread("run");
    checkOpen();
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("TestLoop.run() is already running on another thread");
    }
    try {
      AtomicReference<List<String>> deadlock = new AtomicReference<>();
      Task<T> task = loop.submit(main);
      driver.watch(task, tasks -> {
        deadlock.set(tasks);
        task.cancel("deadlock: main can never finish");
      });
      try {
        return task.join(options.realTimeout());
      } catch (CancelledException e) {
        List<String> report = deadlock.get();
        if (report != null) {
          throw new DeadlockException(report);
        }
        throw e;
      } catch (AsyncTimeoutException e) {
        if (task.isDone()) {
          throw e; // main's own timeout
        }
        List<String> tasks = unfinishedTasks();
        task.cancel("TestLoop.run() ran out of real time");
        throw new AsyncTimeoutException("TestLoop.run(): main did not finish within " + options.realTimeout()
            + " of real time (virtual time " + time() + " s); unfinished tasks:\n  " + String.join("\n  ", tasks));
      } finally {
        driver.unwatch();
      }
    } finally {
      running.set(false);
    }
  }

  /**
   * Moves the clock forward by {@code delay}, running everything due on the way in deadline
   * order, each timer with {@link #time()} equal to its deadline, and what those callbacks make
   * ready; returns with the clock at exactly the old time plus {@code delay}. Works with
   * auto-advance on or off. Call it off the loop, typically after starting work with
   * {@code loop().submit(...)}.
   *
   * @param delay how far to move; zero runs only what is ready now
   * @throws IllegalArgumentException if {@code delay} is negative
   * @throws IllegalStateException on a loop thread or after {@link #close()}
   */
  public void advanceBy(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay < 0: " + delay);
    }
    refuseOnLoopThread("advanceBy");
    checkOpen();
    long nanos;
    try {
      nanos = delay.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE;
    }
    driver.advanceBy(nanos);
  }

  /**
   * Returns the virtual loop time in seconds, the value {@code loop().time()} gives; 0 when the
   * loop is created. Any thread.
   *
   * @return the virtual loop time, in seconds
   */
  public double time() {
    return driver.nanoTime() / 1e9;
  }

  /** {@return the loop: a real {@link Loop} whose one thread runs on this virtual clock} */
  public Loop loop() {
    return loop;
  }

  /**
   * Closes the loop as {@link Loop#close()} does (cancels the tasks left, waits for them, reports
   * failures nobody retrieved), then stops its thread. Idempotent.
   *
   * @throws IllegalStateException on a loop thread
   */
  @Override
  public void close() {
    refuseOnLoopThread("close");
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      loop.close();
    } finally {
      driver.shutdown();
    }
  }

  /** The errors that reached the exception handler so far. */
  List<LoopError> errors() {
    return List.copyOf(errors);
  }

  /**
   * The loop's unfinished tasks, each with what it awaits, once what is ready now has run (a task
   * submitted just before has started; one about to finish has finished). Off the loop.
   */
  List<String> unfinishedTasks() {
    if (closed.get()) {
      return List.of();
    }
    driver.advanceBy(0);
    try {
      return driver.eventLoop().submit(TaskReport::describeAll).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("(interrupted while listing the tasks)");
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      return List.of("(the tasks could not be listed: " + e + ")");
    }
  }

  private void onError(LoopError error) {
    errors.add(error);
    StringBuilder message = new StringBuilder(error.message());
    error.task().ifPresent(t -> message.append("\n  task: ").append(t));
    error.channel().ifPresent(c -> message.append("\n  channel: ").append(c));
    log.error(message.toString(), error.exception());
  }

  private void refuseOnLoopThread(String call) {
    if (LoopThread.current() != null || driver.isDriverThread()) {
      throw new IllegalStateException("TestLoop." + call + "() cannot be called from an event loop thread");
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("TestLoop is closed");
    }
  }

  @Override
  public String toString() {
    return "TestLoop[time=" + time() + (closed.get() ? ", closed" : "") + ", " + options + "]";
  }
}
