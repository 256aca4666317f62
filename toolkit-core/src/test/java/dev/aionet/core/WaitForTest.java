package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * waitFor on a real clock. The cases where a short timeout races an inner task's slow
 * cancellation run on the test kit's virtual clock (toolkit-test's WaitForCancellationTimingTest),
 * where their order is exact instead of depending on the machine's load.
 */
@Timeout(30)
class WaitForTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestLoop t = new TestLoop();

  @AfterEach
  void close() {
    t.close();
  }

  /** A task that, when cancelled, cleans up for {@code cleanup} and then lets the cancellation through. */
  private static Task<String> slowToCancel(Duration cleanup, AtomicBoolean exited) {
    return Aio.createTask(() -> Aio.sleep(WAIT, "never").handle((v, e) -> e)
        .thenCompose(e -> Aio.sleep(cleanup, e))
        .thenApply(e -> {
          exited.set(true);
          throw (RuntimeException) e;
        }));
  }

  @Test
  void aNullTimeoutIsAPlainAwait() {
    // asyncio test_wait_for_blocking: wait_for(coro, None) returns 'done'
    Promise<String> w = t.on(() -> Aio.waitFor(Aio.sleep(Duration.ofMillis(10), "done"), null));
    assertThat(TestLoop.await(w)).isEqualTo("done");
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 60_000})
  void cancellingTheWaitForCancelsTheInnerTask(long timeoutMillis) {
    // asyncio _test_cancel_wait_for(None) and (60.0), issue #23219: the inner task is cancelled
    Duration timeout = timeoutMillis < 0 ? null : Duration.ofMillis(timeoutMillis);
    Task<String> inner = t.on(() -> Aio.createTask(() -> Aio.sleep(WAIT, "x")));
    Promise<String> w = t.on(() -> Aio.waitFor(inner, timeout));
    t.runBriefly();
    assertThat(w.cancel()).isTrue();
    TestLoop.settle(w);
    TestLoop.settle(inner);
    assertThat(w.isCancelled()).isTrue();
    assertThat(inner.isCancelled()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1})
  void aZeroOrNegativeTimeoutReturnsTheValueOfASettledPromiseAtOnce(long millis) {
    // asyncio test_wait_for_timeout_less_then_0_or_0_future_done
    Promise<String> w = t.on(() -> Aio.waitFor(Promise.completed("done"), Duration.ofMillis(millis)));
    assertThat(w.isDone()).isTrue();
    assertThat(w.result()).isEqualTo("done");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1})
  void aZeroOrNegativeTimeoutTimesOutATaskThatNeverStarts(long millis) {
    // asyncio test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started: foo_started stays False
    AtomicBoolean started = new AtomicBoolean();
    long start = System.nanoTime();
    Promise<Object> w = t.on(() -> Aio.waitFor(Aio.createTask(() -> {
      started.set(true);
      return Promise.completed(null);
    }), Duration.ofMillis(millis)));
    assertThatThrownBy(() -> TestLoop.await(w)).isInstanceOf(AsyncTimeoutException.class);
    t.runBriefly();
    assertThat(started).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1})
  void aZeroOrNegativeTimeoutCancelsARunningTaskAndWaitsForIt(long millis) {
    // asyncio test_wait_for_timeout_less_then_0_or_0: fut.cancelled() is True, its finally ran
    AtomicBoolean cleanedUp = new AtomicBoolean();
    Task<Void> running = t.on(() -> Aio.createTask(() -> Aio.sleep(WAIT).whenComplete((v, e) -> cleanedUp.set(true))));
    t.runBriefly();
    Promise<Void> w = t.on(() -> Aio.waitFor(running, Duration.ofMillis(millis)));
    assertThatThrownBy(() -> TestLoop.await(w)).isInstanceOf(AsyncTimeoutException.class);
    assertThat(running.isCancelled()).isTrue();
    assertThat(cleanedUp).isTrue();
  }

  @Test
  void aValueArrivingJustBeforeTheDeadlineIsReturned() {
    // asyncio test_wait_for_race_condition: wait_for(fut, 0.2) with set_result('ok') at 0.1
    CompletablePromise<String> fut = t.loop.newPromise();
    Promise<String> w = t.on(() -> Aio.waitFor(fut, Duration.ofMillis(500)));
    t.loop.callLater(Duration.ofMillis(50), () -> fut.complete("ok"));
    assertThat(TestLoop.await(w)).isEqualTo("ok");
  }

  @Test
  void theCallersCancellationIsNeverSwallowedWhenTheInnerReturnsAtOnce() {
    // asyncio test_wait_for_issue86296 (gh-86296): inner returns at once, the outer task is
    // cancelled right after one step: CancelledError, and reached_end never becomes true
    AtomicBoolean reachedEnd = new AtomicBoolean();
    Task<Void> outer = t.on(() -> Aio.createTask(() -> Aio.waitFor(Aio.createTask(() -> Promise.completed(1)),
        Duration.ofSeconds(100)).thenCompose(v -> Aio.sleep(Duration.ofSeconds(1))).thenAccept(v -> reachedEnd.set(true))));
    t.loop.submit(() -> Aio.sleep(Duration.ZERO)).join(TestLoop.WAIT);
    outer.cancel();
    TestLoop.settle(outer);
    assertThat(outer.isCancelled()).isTrue();
    assertThat(reachedEnd).isFalse();
  }

  @Test
  void theCallersCancellationWinsOverAValueThatArrivedBeforeTheWaitForResumed() {
    // gh-86296 rule (docs/differences-from-asyncio.md #2): the inner got its value (from another thread, so
    // the waitFor has not resumed yet) when the caller cancels: CancelledException, the value is dropped
    CompletablePromise<Integer> inner = t.loop.newPromise();
    Promise<Integer> w = t.on(() -> Aio.waitFor(inner, Duration.ofSeconds(100)));
    boolean accepted = t.on(() -> {
      Thread settler = new Thread(() -> inner.complete(7));
      settler.start();
      settler.join();
      return w.cancel();
    });
    assertThat(accepted).isTrue();
    TestLoop.settle(w);
    assertThat(inner.result()).isEqualTo(7);
    assertThat(w.isCancelled()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aTimeoutAndAnOuterCancelArrivingInTheSameTurnEndCancelledNotTimedOut(boolean innerIsTask) {
    // asyncio: both task.cancel() calls land before the task resumes; uncancel() leaves 1, so
    // CancelledError propagates instead of TimeoutError
    AtomicReference<Promise<String>> inner = new AtomicReference<>();
    Promise<String> outer = t.on(() -> {
      inner.set(innerIsTask ? Aio.createTask(() -> Aio.sleep(WAIT, "late")) : Loop.current().<String>newPromise());
      Promise<String> w = Aio.waitFor(inner.get(), Duration.ofMillis(20));
      Promise<String> caller = w.thenApply(v -> v);
      Loop.current().callLater(Duration.ofMillis(20), caller::cancel);
      long busyUntil = System.nanoTime() + 100_000_000L; // keep the loop busy: both timers become due together
      while (System.nanoTime() < busyUntil) {
        Thread.onSpinWait();
      }
      return caller;
    });
    TestLoop.settle(outer);
    assertThat(outer.isCancelled()).isTrue();
    assertThatThrownBy(outer::result).isInstanceOf(CancelledException.class);
    TestLoop.settle(inner.get());
    assertThat(inner.get().isCancelled()).isTrue();
  }

  @Test
  void aWaitForTaskCancelledBeforeItStartsLeavesTheSeparatelyStartedInnerTaskAlone() {
    // asyncio test_wait_for_self_cancellation: the wait_for task is cancelled at once; inner_task completes with 42
    Task<Integer> inner = t.on(() -> Aio.createTask(() -> Aio.sleep(Duration.ofMillis(30), 42)));
    Task<Integer> waiter = t.on(() -> {
      Task<Integer> w = Aio.createTask(() -> Aio.waitFor(inner, Duration.ofMillis(100)));
      w.cancel();
      return w;
    });
    TestLoop.settle(waiter);
    assertThat(waiter.isCancelled()).isTrue();
    assertThat(TestLoop.await(inner)).isEqualTo(42);
  }

  @Test
  void cancellingTheWaitForTaskWaitsForTheInnersSlowCleanup() {
    // asyncio test_asyncio_wait_for_cancelled: t.exited is True once the cancelled wait_for task is done
    AtomicBoolean exited = new AtomicBoolean();
    Task<String> waiter = t.on(() -> Aio.createTask(() -> Aio.waitFor(slowToCancel(Duration.ofMillis(100), exited),
        Duration.ofSeconds(10))));
    t.runBriefly();
    waiter.cancel();
    TestLoop.settle(waiter);
    assertThat(waiter.isCancelled()).isTrue();
    assertThat(exited).isTrue();
  }
}
