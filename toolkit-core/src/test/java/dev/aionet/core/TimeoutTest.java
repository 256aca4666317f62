package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TimeoutTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final TestLoop t = new TestLoop();
  private final AtomicReference<TimeoutScope> scope = new AtomicReference<>();
  private final AtomicReference<TimeoutScope> innerScope = new AtomicReference<>();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void aBodyOutlivingTheDeadlineFailsWithTimeoutAndTheScopeIsExpired() {
    // asyncio test_timeout_basic: async with timeout(0.01) as cm: await sleep(10) => TimeoutError, cm.expired()
    Promise<Void> p = t.on(() -> Aio.timeout(Duration.ofMillis(10), s -> {
      scope.set(s);
      return Aio.sleep(WAIT);
    }));
    assertThatThrownBy(() -> TestLoop.await(p)).isInstanceOf(AsyncTimeoutException.class);
    assertThat(p.isFailed()).isTrue();
    assertThat(scope.get().expired()).isTrue();
  }

  @Test
  void theTimeoutsCauseIsTheCancellationItDelivered() {
    // asyncio test_timeout_exception_cause: TimeoutError.__cause__ is the CancelledError
    Promise<Void> p = t.on(() -> Aio.timeout(Duration.ofMillis(10), () -> Aio.sleep(WAIT)));
    TestLoop.settle(p);
    assertThat(p.exception()).isInstanceOf(AsyncTimeoutException.class).hasCauseInstanceOf(CancelledException.class);
  }

  @Test
  void timeoutAtReportsItsDeadline() {
    // asyncio test_timeout_at_basic: cm.when() == deadline
    double deadline = t.loop.time() + 0.01;
    Promise<Void> p = t.on(() -> Aio.timeoutAt(deadline, s -> {
      scope.set(s);
      return Aio.sleep(WAIT);
    }));
    assertThatThrownBy(() -> TestLoop.await(p)).isInstanceOf(AsyncTimeoutException.class);
    assertThat(scope.get().when()).isEqualTo(deadline);
    assertThat(scope.get().expired()).isTrue();
  }

  @Test
  void aBodyFinishingInTimeIsNotExpired() {
    // asyncio test_timeout_not_called: expired() False, when() in the future
    double before = t.loop.time();
    Promise<String> p = t.on(() -> Aio.timeout(Duration.ofSeconds(10), s -> {
      scope.set(s);
      return Aio.sleep(Duration.ofMillis(5), "ok");
    }));
    assertThat(TestLoop.await(p)).isEqualTo("ok");
    assertThat(scope.get().expired()).isFalse();
    assertThat(scope.get().when()).isGreaterThan(before + 5);
  }

  @Test
  void aNullDelayMeansNoDeadline() {
    // asyncio test_timeout_disabled: timeout(None) => when() is None
    Promise<String> p = t.on(() -> Aio.timeout(null, s -> {
      scope.set(s);
      return Aio.sleep(Duration.ofMillis(5), "ok");
    }));
    assertThat(TestLoop.await(p)).isEqualTo("ok");
    assertThat(scope.get().when()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(scope.get().expired()).isFalse();
  }

  @Test
  void aZeroDelayTimesOutEvenASleepOfZero() {
    // asyncio test_timeout_zero / test_timeout_zero_sleep_zero / test_timeout_in_the_past_sleep_zero
    for (Duration delay : new Duration[] {Duration.ZERO, Duration.ofSeconds(-11)}) {
      for (Duration sleep : new Duration[] {Duration.ZERO, WAIT}) {
        long start = System.nanoTime();
        Promise<Void> p = t.on(() -> Aio.timeout(delay, () -> Aio.sleep(sleep)));
        assertThatThrownBy(() -> TestLoop.await(p)).isInstanceOf(AsyncTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      }
    }
  }

  @Test
  void aZeroDelayDoesNotTimeOutABodyThatIsAlreadyDone() {
    // asyncio: async with timeout(0): return 42 (no await) exits before the cancel is delivered
    Promise<Integer> p = t.on(() -> Aio.timeout(Duration.ZERO, () -> Promise.completed(42)));
    assertThat(TestLoop.await(p)).isEqualTo(42);
  }

  @Test
  void reschedulingIntoThePastExpiresOnALaterTurnNotInsideTheCall() {
    // asyncio: reschedule(when <= now) schedules the cancel with call_soon
    Promise<Void> p = t.on(() -> Aio.timeout(WAIT, s -> {
      scope.set(s);
      Promise<Void> body = Aio.sleep(WAIT);
      s.reschedule(Loop.current().time() - 1);
      assertThat(s.expired()).isFalse();
      assertThat(body.isDone()).isFalse();
      return body;
    }));
    assertThatThrownBy(() -> TestLoop.await(p)).isInstanceOf(AsyncTimeoutException.class);
    assertThat(scope.get().expired()).isTrue();
  }

  @Test
  void rescheduleMovesTheDeadlineAndInfinityDisablesIt() {
    // asyncio test_timeout_reschedule / disabled: cm.reschedule(d2) => when() == d2; reschedule(None)
    // then an external cancel => CancelledError with expired() False
    Promise<Void> p = t.on(() -> Aio.timeout(Duration.ofMillis(10), s -> {
      scope.set(s);
      double later = Loop.current().time() + 100;
      s.reschedule(later);
      assertThat(s.when()).isEqualTo(later);
      s.reschedule(Double.POSITIVE_INFINITY);
      return Aio.sleep(WAIT);
    }));
    t.loop.submit(() -> Aio.sleep(Duration.ofMillis(50))).join(TestLoop.WAIT);
    assertThat(p.isDone()).isFalse();
    assertThat(p.cancel()).isTrue();
    TestLoop.settle(p);
    assertThat(p.isCancelled()).isTrue();
    assertThat(scope.get().expired()).isFalse();
  }

  @Test
  void reschedulingAFinishedScopeIsRefused() {
    // asyncio test_timeout_after_exit: RuntimeError "Cannot change state of finished Timeout"
    Promise<String> p = t.on(() -> Aio.timeout(WAIT, s -> {
      scope.set(s);
      return Promise.completed("done");
    }));
    assertThat(TestLoop.await(p)).isEqualTo("done");
    assertThatThrownBy(() -> scope.get().reschedule(t.loop.time() + 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("finished");
  }

  @Test
  void aCancellationTheScopeDidNotCausePassesThrough() {
    // asyncio test_cancel_in_timeout (49a): current_task().cancel() inside => CancelledError, expired() False
    Task<Void> task = t.on(() -> Aio.createTask(() -> Aio.timeout(WAIT, s -> {
      scope.set(s);
      Aio.currentTask().orElseThrow().cancel();
      return Aio.sleep(WAIT);
    })));
    TestLoop.settle(task);
    assertThat(task.isCancelled()).isTrue();
    assertThat(scope.get().expired()).isFalse();
  }

  @Test
  void anotherFailurePassesThroughAndTheScopeIsNotExpired() {
    // asyncio test_error_in_timeout (49b): KeyError passes through, expired() False
    IllegalArgumentException keyError = new IllegalArgumentException("key");
    Promise<Void> p = t.on(() -> Aio.timeout(WAIT, s -> {
      scope.set(s);
      return Aio.sleep(Duration.ofMillis(5)).thenAccept(v -> {
        throw keyError;
      });
    }));
    assertThatThrownBy(() -> TestLoop.await(p)).isSameAs(keyError);
    assertThat(scope.get().expired()).isFalse();
  }

  @Test
  void aFailureInTheBodysCleanupAfterExpiryPropagatesInsteadOfTheTimeout() {
    // asyncio test_timeout_exception_context (49c): ZeroDivisionError in cleanup propagates
    ArithmeticException zero = new ArithmeticException("/ by zero");
    Promise<Void> p = t.on(() -> Aio.timeout(Duration.ofMillis(10), () -> Aio.sleep(WAIT).handle((v, e) -> {
      throw zero;
    })));
    assertThatThrownBy(() -> TestLoop.await(p)).isSameAs(zero);
    // asyncio 3.13 inserts the TimeoutError into the error's context chain: here, a suppressed exception
    assertThat(zero.getSuppressed()).hasSize(1).hasOnlyElementsOfType(AsyncTimeoutException.class);
  }

  @Test
  void aBodyThatThrowsFailsThePromiseInsteadOfThrowing() {
    java.io.IOException io = new java.io.IOException("io");
    Promise<Void> p = t.on(() -> Aio.timeout(WAIT, () -> {
      throw io;
    }));
    TestLoop.settle(p);
    assertThat(p.exception()).isSameAs(io);
  }

  @Test
  void nestedScopesWithTheSameDeadlineBothExpireAndOnlyTheOutermostTimesOut() {
    // asyncio test_nested_timeouts: the inner lets CancelledError through; only the outer raises TimeoutError
    AtomicReference<Promise<Void>> innerPromise = new AtomicReference<>();
    double deadline = t.loop.time() + 0.02;
    Promise<Void> p = t.on(() -> Aio.timeoutAt(deadline, outer -> {
      scope.set(outer);
      innerPromise.set(Aio.timeoutAt(deadline, inner -> {
        innerScope.set(inner);
        return Aio.sleep(WAIT);
      }));
      return innerPromise.get();
    }));
    TestLoop.settle(p);
    assertThat(p.exception()).isInstanceOf(AsyncTimeoutException.class);
    assertThat(innerPromise.get().isCancelled()).isTrue();
    assertThat(scope.get().expired()).isTrue();
    assertThat(innerScope.get().expired()).isTrue();
  }

  @Test
  void anInnerTimeoutCaughtInsideAnOuterOneLetsTheOuterFireLater() {
    // asyncio test_nested_timeouts_loop_busy: inner 0.01 caught inside outer 0.1, then sleep(10) => outer TimeoutError
    long start = System.nanoTime();
    AtomicReference<Throwable> innerError = new AtomicReference<>();
    Promise<Void> p = t.on(() -> Aio.timeout(Duration.ofMillis(100), () ->
        Aio.timeout(Duration.ofMillis(10), () -> Aio.sleep(WAIT))
            .exceptionallyCompose(e -> {
              innerError.set(e);
              return Aio.sleep(WAIT);
            })));
    assertThatThrownBy(() -> TestLoop.await(p)).isInstanceOf(AsyncTimeoutException.class);
    assertThat(innerError.get()).isInstanceOf(AsyncTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aTaskThatHandledATimeoutIsNotLeftCancelled() {
    // asyncio test_outer_task_is_not_cancelled: the task finishes normally, cancelled() False
    Task<String> task = t.on(() -> Aio.createTask(() -> Aio.timeout(Duration.ofMillis(10), () -> Aio.sleep(WAIT, "x"))
        .exceptionally(e -> "handled")
        .thenCompose(v -> Aio.sleep(Duration.ofMillis(5), v + " and continued"))));
    assertThat(TestLoop.await(task)).isEqualTo("handled and continued");
    assertThat(task.isCancelled()).isFalse();
    assertThat(task.cancelling()).isZero();
  }

  @Test
  void aTimeoutInsideATaskThatCaughtAnEarlierCancelStillFires() {
    // asyncio test_timeout_after_cancellation: a timeout used in finally after a caught cancel still fires
    Task<String> task = t.on(() -> Aio.createTask(() -> Aio.sleep(WAIT, "x")
        .handle((v, e) -> e)
        .thenCompose(e -> Aio.timeout(Duration.ofMillis(10), () -> Aio.sleep(WAIT, "y")))
        .exceptionally(e -> e.getClass().getSimpleName())));
    t.runBriefly();
    task.cancel();
    assertThat(TestLoop.await(task)).isEqualTo("AsyncTimeoutException");
  }

  @Test
  void aFreshCancelInsideSuchATimeoutIsACancellationNotATimeout() {
    // asyncio test_cancel_in_timeout_after_cancellation
    AtomicReference<Task<?>> self = new AtomicReference<>();
    Task<String> task = t.on(() -> Aio.createTask(() -> {
      self.set(Aio.currentTask().orElseThrow());
      return Aio.sleep(WAIT, "x")
          .handle((v, e) -> e)
          .thenCompose(e -> Aio.timeout(WAIT, () -> {
            self.get().cancel();
            return Aio.sleep(WAIT, "y");
          }));
    }));
    t.runBriefly();
    task.cancel();
    TestLoop.settle(task);
    assertThat(task.isCancelled()).isTrue();
  }

  @Test
  void aNullBodyIsAProgrammingErrorThrownAtOnce() {
    assertThatThrownBy(() -> t.on(() -> Aio.timeout(WAIT, (Coroutine<Object>) null)))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aNanDeadlineIsRefused() {
    assertThatThrownBy(() -> t.on(() -> Aio.timeoutAt(Double.NaN, s -> Promise.completed(1))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
