package dev.aionet.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.CancelledException;
import dev.aionet.core.Task;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Aio.waitFor} cancelling an inner task whose cancellation takes time, on the virtual
 * clock. On a real clock these were flaky on a loaded machine: a 10 ms timeout could fire before
 * the inner task's first step ran, so the task was cancelled before it started and its cleanup
 * never ran. On virtual time the clock cannot move while that step is ready, and each outcome
 * comes at an exact time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitForCancellationTimingTest {
  private static final Duration LONG = Duration.ofHours(1);

  /** A task that, when cancelled, cleans up for {@code cleanup} and then lets the cancellation through. */
  private static Task<String> slowToCancel(Duration cleanup, AtomicBoolean exited) {
    return Aio.createTask(() -> Aio.sleep(LONG, "never").handle((v, e) -> e)
        .thenCompose(e -> Aio.sleep(cleanup, e))
        .thenApply(e -> {
          exited.set(true);
          throw (RuntimeException) e;
        }));
  }

  @Test
  void onTimeoutTheInnerIsCancelledAndAwaitedBeforeTheTimeoutIsRaised() {
    // asyncio test_wait_for_waits_for_task_cancellation (bpo-32751): TimeoutError only after the inner finished
    try (TestLoop t = TestLoop.create()) {
      AtomicBoolean exited = new AtomicBoolean();
      AtomicBoolean exitedWhenTimedOut = new AtomicBoolean();
      Throwable e = catchThrowable(() -> t.run(() -> Aio.waitFor(slowToCancel(Duration.ofMillis(50), exited),
          Duration.ofMillis(10)).whenComplete((v, error) -> exitedWhenTimedOut.set(exited.get()))));
      assertThat(e).isInstanceOf(AsyncTimeoutException.class).hasCauseInstanceOf(CancelledException.class);
      assertThat(exitedWhenTimedOut).isTrue();
      assertThat(t.time()).isEqualTo(0.060); // the 10 ms timeout, then the 50 ms cleanup
    }
  }

  @Test
  void aSlowCancellationDelaysTheTimeoutInsteadOfLeavingTheInnerRunning() {
    // asyncio test_asyncio_wait_for_timeout: 0.1 s timeout, 0.2 s cleanup => TimeoutError with t.exited True
    try (TestLoop t = TestLoop.create()) {
      AtomicBoolean exited = new AtomicBoolean();
      Throwable e = catchThrowable(() -> t.run(() ->
          Aio.waitFor(slowToCancel(Duration.ofMillis(200), exited), Duration.ofMillis(100))));
      assertThat(e).isInstanceOf(AsyncTimeoutException.class);
      assertThat(exited).isTrue();
      assertThat(t.time()).isEqualTo(0.3);
    }
  }

  @Test
  void anInnerThatSuppressesTheCancellationGivesItsValue() {
    // asyncio test_wait_for_cancel_suppressed: the inner catches CancelledError and returns 42
    try (TestLoop t = TestLoop.create()) {
      Integer v = t.run(() -> Aio.waitFor(Aio.createTask(() -> Aio.sleep(LONG, 0).handle((x, e) -> 42)),
          Duration.ofMillis(10)));
      assertThat(v).isEqualTo(42);
      assertThat(t.time()).isEqualTo(0.01);
    }
  }

  @Test
  void anotherErrorRaisedDuringTheCancellationPropagatesInsteadOfTheTimeout() {
    // asyncio test_wait_for_reraises_exception_during_cancellation (bpo-40607)
    IllegalStateException foo = new IllegalStateException("foo");
    try (TestLoop t = TestLoop.create()) {
      Throwable e = catchThrowable(() -> t.run(() -> Aio.waitFor(
          Aio.createTask(() -> Aio.sleep(LONG, 0).handle((v, error) -> {
            throw foo;
          })), Duration.ofMillis(10))));
      assertThat(e).isSameAs(foo);
    }
  }
}
