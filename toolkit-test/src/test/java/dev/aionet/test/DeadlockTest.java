package dev.aionet.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Aio;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A main that can never finish fails at once with a report of every task and what it awaits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlockTest {

  @Test
  void aMainAwaitingAPromiseNobodyCompletesFailsAtOnceNamingEveryTaskAndWhatItAwaits() {
    try (TestLoop t = TestLoop.create()) {
      long start = System.nanoTime();
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> t.run(() -> {
        Task<?> self = Aio.currentTask().orElseThrow();
        self.setName("main");
        CompletablePromise<String> never = Loop.current().newPromise();
        Task<String> worker = Aio.createTask(() -> never);
        worker.setName("worker");
        return worker;
      }));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(thrown).isInstanceOf(DeadlockException.class)
          .hasMessageContaining("main can never finish")
          .hasMessageContaining("main awaits task worker");
      assertThat(((DeadlockException) thrown).tasks())
          .containsExactly("main awaits task worker", "worker awaits Promise(PENDING)");
      assertThat(took).as("well under the 60 s real timeout").isLessThan(Duration.ofSeconds(10));
      assertThat(t.time()).as("no timer, so the clock never moved").isZero();
    }
  }

  @Test
  void theDeadlockCancelsMainAndTheLoopStaysUsable() {
    try (TestLoop t = TestLoop.create()) {
      CompletablePromise<String> never = t.loop().newPromise();
      assertThatThrownBy(() -> t.run(() -> never)).isInstanceOf(DeadlockException.class);
      assertThat(never.isCancelled()).as("main's cancel reached the promise it awaited").isTrue();
      assertThat(t.run(() -> Aio.sleep(Duration.ofSeconds(5), "later"))).isEqualTo("later");
    }
  }

  @Test
  void aPendingTimerIsNotADeadlockEvenWithoutAutoAdvance() {
    try (TestLoop t = TestLoop.create(TestLoopOptions.builder().autoAdvance(false)
        .realTimeout(Duration.ofMillis(500)).build())) {
      assertThatThrownBy(() -> t.run(() -> Aio.sleep(Duration.ofSeconds(1))))
          .isNotInstanceOf(DeadlockException.class)
          .isInstanceOf(dev.aionet.core.AsyncTimeoutException.class)
          .hasMessageContaining("unfinished tasks:");
    }
  }

  @Test
  void aPromiseCompletedByAnotherThreadWithinTheGraceIsNoDeadlock() {
    try (TestLoop t = TestLoop.create(TestLoopOptions.builder().ioGrace(Duration.ofSeconds(5)).build())) {
      CompletablePromise<String> fromOutside = t.loop().newPromise();
      Thread helper = new Thread(() -> {
        fromOutside.complete("from a thread"); // may run before or after main starts awaiting
      });
      String v = t.run(() -> {
        helper.start();
        return fromOutside;
      });
      assertThat(v).isEqualTo("from a thread");
    }
  }

  @Test
  void runAfterADeadlockReportsOnlyItsOwnTasks() {
    try (TestLoop t = TestLoop.create()) {
      assertThat(t.run(() -> Promise.completed(1))).isEqualTo(1);
      DeadlockException e = org.assertj.core.api.Assertions.catchThrowableOfType(DeadlockException.class,
          () -> t.run(() -> Loop.current().newPromise()));
      assertThat(e.tasks()).hasSize(1).allMatch(line -> line.endsWith("awaits Promise(PENDING)"));
    }
  }
}
