package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A loop for the synchronization tests, driven from the test thread: tasks are submitted, the
 * loop is let run a few turns ({@link #runBriefly()}, asyncio's {@code test_utils.run_briefly}),
 * and the primitives are inspected in between. Every error that reaches the loop's exception
 * handler fails the test at {@link #close()}.
 */
final class TestLoop implements AutoCloseable {
  static final Duration LONG = Duration.ofSeconds(10);

  final Loop loop;
  private final List<LoopError> errors = Collections.synchronizedList(new ArrayList<>());

  TestLoop() {
    this(1);
  }

  TestLoop(int threads) {
    loop = Loop.create(LoopOptions.builder().threads(threads).build());
    loop.setExceptionHandler(errors::add);
  }

  /** Starts a task on the loop (the next loop thread in turn). */
  <T> Task<T> start(Coroutine<T> coroutine) {
    return loop.submit(coroutine);
  }

  /** Runs {@code coroutine} as a task and waits for its value. */
  <T> T call(Coroutine<T> coroutine) {
    return loop.submit(coroutine).join(LONG);
  }

  /** Calls {@code body} on the loop thread and returns the promise it made there. */
  <T> Promise<T> onLoop(java.util.function.Supplier<Promise<T>> body) {
    return call(() -> Promise.completed(body.get()));
  }

  /** Lets the loop run a few turns, so every task that can make progress does. */
  void runBriefly() {
    for (int i = 0; i < 4; i++) {
      loop.submit(() -> Aio.sleep(Duration.ZERO)).join(LONG);
    }
  }

  /** Polls {@code condition} until it holds, failing after a generous deadline. */
  static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + LONG);
      }
      Thread.onSpinWait();
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
      thread.join(LONG.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (failure.get() != null) {
      throw new AssertionError("the action on another thread failed", failure.get());
    }
  }

  @Override
  public void close() {
    loop.close();
    assertThat(errors).as("errors reported to the loop's exception handler").isEmpty();
  }
}
