package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.testing.CapturedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Work handed to a loop after it closed: nothing waits forever. Promises fail with
 * {@code IllegalStateException("loop is closed")} (or end cancelled when a cancel was asked for),
 * and the loop logs one warning naming the first thing it refused, however many follow.
 */
@Timeout(60)
class ClosedLoopTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private CapturedLog log;
  private Loop loop;

  @BeforeEach
  void createTheLoopAndCaptureItsLog() {
    log = CapturedLog.of("dev.aionet.core.internal.LoopThread");
    loop = Loop.create();
  }

  @AfterEach
  void closeTheLoopAndReleaseTheLog() {
    loop.close();
    log.close();
  }

  /** The WARN lines this test's loop logged (its thread is named in each). */
  private List<String> warnings() {
    return log.warnings(loop.group().iterator().next().toString());
  }

  /** A promise of the loop's thread that waits on {@code source}, a promise owned by no loop. */
  private Promise<Integer> derivedOnTheLoop(Promise<Integer> source) {
    return loop.runUntilComplete(() -> Promise.completed(source.thenApply(x -> x + 1)));
  }

  private static void assertLoopIsClosed(Promise<?> promise) {
    assertThatThrownBy(() -> promise.join(WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("loop is closed");
  }

  @Test
  void aTaskSubmittedAfterCloseFailsWithoutRunningItsCoroutine() {
    loop.close();
    AtomicBoolean ran = new AtomicBoolean();
    Task<String> task = loop.submit(() -> {
      ran.set(true);
      return Promise.completed("ran");
    });
    assertLoopIsClosed(task);
    assertThat(ran).isFalse();
    assertThat(warnings()).singleElement().asString().contains("step of Task[");
  }

  @Test
  void aContinuationOfAClosedLoopFailsWhenItsSourceSettlesOnAnotherThread() {
    CompletableFuture<Integer> future = new CompletableFuture<>();
    Promise<Integer> derived = derivedOnTheLoop(Promise.from(future));
    loop.close();
    future.complete(41); // settles the source here; the continuation belongs to the closed loop
    assertLoopIsClosed(derived);
    assertThat(warnings()).singleElement().asString().contains("continuation");
  }

  @Test
  void aCancelFromAnotherThreadAfterCloseEndsThePromiseCancelled() {
    Promise<Integer> derived = derivedOnTheLoop(Promise.from(new CompletableFuture<>()));
    loop.close();
    assertThat(derived.cancel("too late")).isTrue();
    assertThat(derived.isCancelled()).isTrue();
    assertThatThrownBy(() -> derived.join(WAIT)).isInstanceOf(CancelledException.class).hasMessage("too late");
    assertThat(warnings()).singleElement().asString().contains("cancel(\"too late\")");
  }

  @Test
  void aLongChainOfContinuationsOfAClosedLoopFailsWithoutGrowingTheStack() {
    // each refused continuation settles the next one's source: refusals run in a loop, not nested
    CompletableFuture<Integer> future = new CompletableFuture<>();
    Promise<Integer> source = Promise.from(future);
    Promise<Integer> last = loop.runUntilComplete(() -> {
      Promise<Integer> p = source;
      for (int i = 0; i < 20_000; i++) {
        p = p.thenApply(x -> x + 1);
      }
      return Promise.completed(p);
    });
    loop.close();
    future.complete(0);
    assertLoopIsClosed(last);
  }

  @Test
  void aCallbackAndATimerForAClosedLoopAreNamedInItsWarning() {
    loop.close();
    AtomicBoolean ran = new AtomicBoolean();
    Runnable callback = new Runnable() {
      @Override
      public void run() {
        ran.set(true);
      }

      @Override
      public String toString() {
        return "the-late-callback";
      }
    };
    loop.callSoon(callback);
    TimerHandle timer = loop.callLater(Duration.ZERO, callback);
    assertThat(warnings()).singleElement().asString().contains("the-late-callback");
    assertThat(ran).isFalse();
    timer.cancel(); // harmless on a closed loop, and no second warning
    assertThat(warnings()).hasSize(1);
  }

  @Test
  void aFloodOfWorkForAClosedLoopSettlesEveryPromiseAndWarnsOnce() {
    loop.close();
    List<Task<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      tasks.add(loop.submit(() -> Promise.completed(1)));
    }
    for (Task<Integer> task : tasks) {
      assertThat(task.isFailed()).isTrue();
      assertThat(task.exception()).isInstanceOf(IllegalStateException.class).hasMessage("loop is closed");
    }
    assertThat(warnings()).hasSize(1);
    assertThat(warnings().get(0)).contains("further refusals of this loop are logged at DEBUG");
  }
}
