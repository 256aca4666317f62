package dev.aionet.core;

import dev.aionet.testing.RecordingLoop;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A loop driven step by step from the test thread, in the spirit of asyncio's test_utils: tasks
 * are submitted, {@link #on} runs code on the loop thread and returns its value,
 * {@link #runBriefly} lets the loop run a few turns, and every error that reaches the loop's
 * exception handler is recorded and fails the test at {@link #close()} ({@link RecordingLoop}).
 */
final class TestLoop extends RecordingLoop {
  static final Duration WAIT = Duration.ofSeconds(10);

  final Loop loop;

  TestLoop() {
    this(1);
  }

  TestLoop(int threads) {
    super(LoopOptions.builder().threads(threads).build());
    loop = loop();
  }

  /** Starts a task on the loop (the next loop thread in turn). */
  <T> Task<T> start(Coroutine<T> coroutine) {
    return loop.submit(coroutine);
  }

  /** Runs {@code coroutine} as a task and waits for its value. */
  <T> T call(Coroutine<T> coroutine) {
    return loop.submit(coroutine).join(WAIT);
  }

  /** Runs {@code code} on the loop thread (inside a task) and returns what it returned. */
  <T> T on(Callable<T> code) {
    return call(() -> Promise.completed(code.call()));
  }

  /** Calls {@code body} on the loop thread and returns the promise it made there. */
  <T> Promise<T> onLoop(java.util.function.Supplier<Promise<T>> body) {
    return on(body::get);
  }

  /** Runs {@code code} on the loop thread. */
  void run(ThrowingRunnable code) {
    on(() -> {
      code.run();
      return null;
    });
  }

  /** asyncio's run_briefly: lets the loop run a few turns, so every task that can progress does. */
  void runBriefly() {
    for (int i = 0; i < 4; i++) {
      loop.submit(() -> Aio.sleep(Duration.ZERO)).join(WAIT);
    }
  }

  /** Blocks the test thread until {@code p} settles and returns its value (or throws). */
  static <T> T await(Promise<T> p) {
    return p.join(WAIT);
  }

  /** Blocks until {@code p} settles, whatever its outcome. */
  static void settle(Promise<?> p) {
    try {
      p.join(WAIT);
    } catch (RuntimeException expected) {
      if (!p.isDone()) {
        throw expected;
      }
    }
  }

  /** Polls {@code condition} until it holds, failing after a generous deadline. */
  static void awaitTrue(BooleanSupplier condition) {
    awaitTrue(condition, () -> "");
  }

  /**
   * Polls {@code condition} until it holds or the test's wait runs out, parking a millisecond
   * between polls (a spin would hold a core from the loop threads it waits for); the failure
   * names {@code state}.
   */
  static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<?> state) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT + " " + state.get());
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }

  /**
   * Runs {@code action} on a fresh thread and waits for it: called on a loop thread, this makes
   * what the action completes hop back to the loop, to run only after the current callback, so
   * the test can act "after the wake-up, before the woken task ran".
   */
  static void onAnotherThread(Runnable action) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        action.run();
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "test-other-thread");
    thread.start();
    try {
      thread.join(WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (failure.get() != null) {
      throw new AssertionError("the action on another thread failed", failure.get());
    }
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
