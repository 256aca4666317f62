package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Loop#stats()}: each figure moved by a known amount. */
@Timeout(60)
class LoopStatsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static Loop loop(int threads) {
    return Loop.create(LoopOptions.builder().threads(threads).debug(false)
        .slowCallbackDuration(Duration.ofMillis(100)).build());
  }

  /** Deliberately holds the loop thread (what the figures must show). */
  private static void busy(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  private static void runOnLoop(Loop loop, Runnable code) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.callSoon(() -> {
      try {
        code.run();
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static LoopStats pollUntil(Loop loop, Predicate<LoopStats> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    LoopStats s = loop.stats();
    while (!condition.test(s)) {
      assertThat(System.nanoTime()).as("waiting for %s", s).isLessThan(deadline);
      Thread.sleep(5);
      s = loop.stats();
    }
    return s;
  }

  @Test
  void aTurnOf150MsCountsOneSlowTurnWithDebugModeOff() throws Exception {
    try (Loop loop = loop(1)) {
      assertThat(loop.isDebug()).isFalse();
      LoopStats before = loop.stats();
      runOnLoop(loop, () -> busy(Duration.ofMillis(150)));
      runOnLoop(loop, () -> { }); // a later turn: the busy one has ended
      LoopStats after = loop.stats();
      assertThat(after.slowTurns() - before.slowTurns()).isEqualTo(1);
      assertThat(after.turns() - before.turns()).isGreaterThanOrEqualTo(1);
      assertThat(after.maxTurnNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    }
  }

  @Test
  void aHundredChainedCallbacksAreAHundredTurnsAndNoneIsSlow() throws Exception {
    try (Loop loop = loop(1)) {
      runOnLoop(loop, () -> { }); // the loop has started
      LoopStats before = loop.stats();
      CountDownLatch done = new CountDownLatch(1);
      loop.callSoon(new Runnable() {
        int left = 100;

        @Override
        public void run() {
          if (--left > 0) {
            Loop.current().callSoon(this); // the next turn
          } else {
            done.countDown();
          }
        }
      });
      assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      LoopStats after = pollUntil(loop, s -> s.turns() - before.turns() >= 100);
      // the hop of the first callSoon from this thread may be a turn of its own
      assertThat(after.turns() - before.turns()).isBetween(100L, 102L);
      assertThat(after.slowTurns()).isEqualTo(before.slowTurns());
    }
  }

  @Test
  void aTimerHeldUpByABusyTurnShowsItsLag() throws Exception {
    try (Loop loop = loop(1)) {
      CountDownLatch fired = new CountDownLatch(1);
      loop.stats(); // a new period
      runOnLoop(loop, () -> {
        Loop.current().callLater(Duration.ofMillis(10), fired::countDown);
        busy(Duration.ofMillis(250)); // the timer is due 240 ms before the loop can run it
      });
      assertThat(fired.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      LoopStats s = loop.stats();
      assertThat(s.maxTimerLagNanos()).isBetween(Duration.ofMillis(200).toNanos(), WAIT.toNanos());
    }
  }

  @Test
  void theMaximaStartAgainAtEachCall() throws Exception {
    try (Loop loop = loop(1)) {
      CountDownLatch fired = new CountDownLatch(1);
      runOnLoop(loop, () -> {
        Loop.current().callLater(Duration.ofMillis(1), fired::countDown);
        busy(Duration.ofMillis(200));
      });
      assertThat(fired.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      LoopStats first = loop.stats();
      assertThat(first.maxTurnNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
      assertThat(first.maxTimerLagNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
      LoopStats second = loop.stats();
      assertThat(second.maxTurnNanos()).isLessThan(Duration.ofMillis(100).toNanos());
      assertThat(second.maxTimerLagNanos()).isZero(); // no timer ran since
      assertThat(second.slowTurns()).isEqualTo(first.slowTurns()); // totals do not start again
      assertThat(second.turns()).isGreaterThanOrEqualTo(first.turns());
    }
  }

  @Test
  void tasksAliveCountsUnfinishedTasksOnEveryThread() throws Exception {
    try (Loop loop = loop(2)) {
      AsyncEvent go = new AsyncEvent();
      assertThat(loop.stats().threads()).isEqualTo(2);
      assertThat(loop.stats().tasksAlive()).isZero();
      for (int i = 0; i < 3; i++) {
        loop.submit(go::await);
      }
      pollUntil(loop, s -> s.tasksAlive() == 3);
      go.set();
      pollUntil(loop, s -> s.tasksAlive() == 0);
    }
  }

  @Test
  void readyCallbacksAreTheCallbacksQueuedForTheNextTurn() throws Exception {
    try (Loop loop = loop(1)) {
      int[] seen = new int[2];
      runOnLoop(loop, () -> {
        seen[0] = Loop.current().stats().readyCallbacks();
        for (int i = 0; i < 5; i++) {
          Loop.current().callSoon(() -> { });
        }
        seen[1] = Loop.current().stats().readyCallbacks();
      });
      assertThat(seen[1] - seen[0]).isEqualTo(5);
      pollUntil(loop, s -> s.readyCallbacks() == 0);
    }
  }
}
