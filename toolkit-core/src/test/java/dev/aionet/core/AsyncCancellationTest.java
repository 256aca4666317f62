package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cancelling an async body's task travels inward to what the body awaits (asyncio's Task.cancel). */
@Timeout(60)
class AsyncCancellationTest {

  @Test
  void cancelDuringAnHourLongSleepFromAnotherThreadEndsAtOnceAndCancelsTheSleep() {
    try (TestLoop t = new TestLoop()) {
      AtomicReference<Promise<Void>> sleep = new AtomicReference<>();
      Task<Void> task = t.on(() -> Aio.async(() -> {
        Promise<Void> s = Aio.sleep(Duration.ofHours(1));
        sleep.set(s);
        return Aio.await(s);
      }));
      TestLoop.awaitTrue(() -> sleep.get() != null);
      long start = System.nanoTime();
      assertThat(task.cancel("stop")).isTrue(); // the test thread: the request hops to the loop
      TestLoop.settle(task);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(task.state()).isEqualTo(Promise.State.CANCELLED);
      assertThat(sleep.get().isCancelled()).isTrue();
    }
  }

  @Test
  void theCancelledAwaitThrowsCancelledExceptionWithTheMessage() {
    try (TestLoop t = new TestLoop()) {
      CompletablePromise<String> never = t.on(CompletablePromise::create);
      Task<String> task = t.on(() -> Aio.async(() -> {
        try {
          return Aio.await(never);
        } catch (CancelledException e) {
          // asyncio: except CancelledError as e: return "caught " + e.args[0]
          return "caught " + e.getMessage();
        }
      }));
      t.runBriefly();
      task.cancel("stop");
      assertThat(TestLoop.await(task)).isEqualTo("caught stop");
      assertThat(task.state()).isEqualTo(Promise.State.SUCCEEDED);
      assertThat(never.isCancelled()).isTrue();
    }
  }

  @Test
  void aBodyThatLetsTheCancellationOutEndsCancelled() {
    try (TestLoop t = new TestLoop()) {
      AtomicBoolean finallyRan = new AtomicBoolean();
      Task<Void> task = t.on(() -> Aio.async(() -> {
        try {
          return Aio.await(Aio.sleep(Duration.ofHours(1)));
        } finally {
          finallyRan.set(true);
        }
      }));
      t.runBriefly();
      task.cancel();
      TestLoop.settle(task);
      assertThat(task.isCancelled()).isTrue();
      assertThat(finallyRan).isTrue();
    }
  }

  @Test
  void aCancelWhileTheBodyRunsIsThrownByItsNextAwaitOfAPendingPromise() {
    try (TestLoop t = new TestLoop()) {
      List<String> seen = new ArrayList<>();
      Task<List<String>> task = t.on(() -> Aio.async(() -> {
        Aio.await(Aio.sleep(Duration.ZERO)); // past the first stretch
        Aio.currentTask().orElseThrow().cancel("self");
        seen.add("still running");
        seen.add("settled await: " + Aio.await(Promise.completed("ok")));
        try {
          Aio.await(Aio.sleep(Duration.ofHours(1)));
          seen.add("not cancelled");
        } catch (CancelledException e) {
          seen.add("cancelled: " + e.getMessage());
        }
        seen.add("next await: " + Aio.await(Aio.sleep(Duration.ZERO, "fine")));
        return seen;
      }));
      assertThat(TestLoop.await(task))
          .containsExactly("still running", "settled await: ok", "cancelled: self", "next await: fine");
    }
  }

  @Test
  void aCancelDuringTheFirstStretchIsThrownByTheFirstPendingAwait() {
    try (TestLoop t = new TestLoop()) {
      AtomicReference<Promise<Void>> sleep = new AtomicReference<>();
      Task<String> task = t.on(() -> Aio.async(() -> {
        Aio.currentTask().orElseThrow().cancel("early");
        try {
          Promise<Void> s = Aio.sleep(Duration.ofHours(1));
          sleep.set(s);
          Aio.await(s);
          return "not cancelled";
        } catch (CancelledException e) {
          return e.getMessage();
        }
      }));
      assertThat(TestLoop.await(task)).isEqualTo("early");
      // The cancel was thrown before the body waited, so the sleep itself was never cancelled.
      assertThat(sleep.get().isDone()).isFalse();
      sleep.get().cancel();
    }
  }

  @Test
  void aBodyThatIsCancelledAndThenReturnsWithoutAwaitingEndsCancelled() {
    try (TestLoop t = new TestLoop()) {
      // asyncio: a task cancelled while its coroutine runs, which then returns, is cancelled
      Task<String> task = t.on(() -> Aio.async(() -> {
        Aio.await(Aio.sleep(Duration.ZERO));
        Aio.currentTask().orElseThrow().cancel();
        return "value";
      }));
      TestLoop.settle(task);
      assertThat(task.isCancelled()).isTrue();
    }
  }

  @Test
  void aTaskCancelledBeforeItsBodyStartedNeverRunsIt() {
    try (TestLoop t = new TestLoop()) {
      AtomicBoolean ran = new AtomicBoolean();
      Task<Void> task = t.on(() -> {
        Task<Void> body = Aio.async(() -> {
          ran.set(true);
          return null;
        });
        body.cancel();
        return body;
      });
      TestLoop.settle(task);
      t.runBriefly();
      assertThat(task.isCancelled()).isTrue();
      assertThat(ran).isFalse();
    }
  }

  @Test
  void aValueThatAlreadyArrivedIsNotLostToACancel() {
    try (TestLoop t = new TestLoop()) {
      CompletablePromise<String> gate = t.on(CompletablePromise::create);
      AtomicReference<String> after = new AtomicReference<>();
      Task<String> task = t.on(() -> Aio.async(() -> {
        String v = Aio.await(gate);
        try {
          Aio.await(Aio.sleep(Duration.ofHours(1)));
        } catch (CancelledException e) {
          after.set("cancel kept for the next await");
        }
        return v;
      }));
      t.runBriefly();
      t.run(() -> {
        // The value arrives from another thread: the body resumes only after this callback,
        // in which the cancel comes. The body gets the value; its next await the cancel.
        TestLoop.onAnotherThread(() -> gate.complete("arrived"));
        task.cancel();
      });
      assertThat(TestLoop.await(task)).isEqualTo("arrived");
      assertThat(after.get()).isEqualTo("cancel kept for the next await");
    }
  }

  @Test
  void aValueCompletedByAnotherBodyIsNotLostToACancelInTheSameStretch() {
    try (TestLoop t = new TestLoop()) {
      CompletablePromise<String> gate = t.on(CompletablePromise::create);
      Task<String> waiter = t.on(() -> Aio.async(() -> {
        String v = Aio.await(gate);
        return v + (Aio.await(Aio.sleep(Duration.ofHours(1))) == null ? "" : "");
      }));
      t.runBriefly();
      Task<Void> other = t.on(() -> Aio.async(() -> {
        gate.complete("given");
        waiter.cancel();
        return null;
      }));
      TestLoop.await(other);
      TestLoop.settle(waiter);
      // The value was taken; the cancel then ended the hour-long sleep: the task is cancelled,
      // and the gate's value was delivered (nothing else could have observed it).
      assertThat(waiter.isCancelled()).isTrue();
      assertThat(gate.result()).isEqualTo("given");
    }
  }
}
