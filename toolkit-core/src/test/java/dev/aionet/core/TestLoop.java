package dev.aionet.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loop driven step by step from the test thread, in the spirit of asyncio's test_utils: each
 * {@link #on} runs code on the loop thread inside a task and returns its value, {@link #runBriefly}
 * lets the loop run a few turns, and the loop's exception handler records what reaches it.
 */
final class TestLoop implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  final Loop loop = Loop.create();
  final List<LoopError> errors = new CopyOnWriteArrayList<>();

  TestLoop() {
    loop.setExceptionHandler(errors::add);
  }

  /** Runs {@code code} on the loop thread (inside a task) and returns what it returned. */
  <T> T on(Callable<T> code) {
    return loop.submit(() -> Promise.completed(code.call())).join(WAIT);
  }

  /** Runs {@code code} on the loop thread. */
  void run(ThrowingRunnable code) {
    on(() -> {
      code.run();
      return null;
    });
  }

  /** asyncio's run_briefly: lets the loop run a few turns. */
  void runBriefly() {
    for (int i = 0; i < 3; i++) {
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

  @Override
  public void close() {
    loop.close();
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
