package dev.aionet.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.CancelledException;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sequential code ({@code Aio.async} bodies that {@code Aio.await}) on the virtual clock: a body
 * suspends on a timer as any task does, so the clock jumps over its sleeps and timeouts; while a
 * body runs between two awaits (computing, or blocked in a plain blocking call) the loop is busy,
 * so the clock stands still and nothing else of the loop runs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncBodiesOnVirtualTimeTest {
  private static final TestLoopOptions NO_GRACE = TestLoopOptions.builder().ioGrace(Duration.ZERO).build();

  @Test
  void aBodySleepingAnHourTakesMillisecondsOfRealTimeAndExactlyAnHourOfLoopTime() {
    long[] took = new long[5];
    for (int i = 0; i < took.length; i++) {
      try (TestLoop t = TestLoop.create()) {
        long start = System.nanoTime();
        double wokeAt = t.run(() -> Aio.async(() -> {
          Aio.await(Aio.sleep(Duration.ofHours(1)));
          return Loop.current().time();
        }));
        took[i] = System.nanoTime() - start;
        assertThat(wokeAt).isEqualTo(3600.0);
        assertThat(t.time()).isEqualTo(3600.0);
      }
    }
    Arrays.sort(took);
    assertThat(Duration.ofNanos(took[took.length / 2])).as("median real time of five runs")
        .isLessThan(Duration.ofMillis(250));
  }

  @Test
  void eachAwaitedSleepOfABodyEndsExactlyAtItsDeadline() {
    try (TestLoop t = TestLoop.create()) {
      List<Double> wakes = t.run(() -> Aio.async(() -> {
        List<Double> at = new ArrayList<>();
        for (int minute = 0; minute < 60; minute++) {
          Aio.await(Aio.sleep(Duration.ofMinutes(1)));
          at.add(Loop.current().time());
        }
        return at;
      }));
      for (int minute = 0; minute < 60; minute++) {
        assertThat(wakes.get(minute)).as("wake %d", minute).isEqualTo(60.0 * (minute + 1));
      }
      assertThat(t.time()).isEqualTo(3600.0);
    }
  }

  @Test
  void waitForInsideABodyFailsAtExactlyItsDeadline() {
    try (TestLoop t = TestLoop.create()) {
      t.advanceBy(Duration.ofMillis(1234)); // not at 0, so the deadline arithmetic is exercised
      double failedAt = t.run(() -> Aio.async(() -> {
        CompletablePromise<String> never = Loop.current().newPromise();
        try {
          Aio.await(Aio.waitFor(never, Duration.ofSeconds(30)));
          throw new AssertionError("waitFor of a promise nobody completes returned");
        } catch (AsyncTimeoutException expected) {
          assertThat(never.isCancelled()).as("waitFor cancelled what it waited for").isTrue();
          return Loop.current().time();
        }
      }));
      assertThat(failedAt).isEqualTo(31.234);
      assertThat(t.time()).isEqualTo(31.234);
    }
  }

  @Test
  void aTimeoutAroundAnInnerBodyCancelsItsAwaitAtExactlyTheDeadline() {
    try (TestLoop t = TestLoop.create()) {
      List<String> inner = new CopyOnWriteArrayList<>();
      double timedOutAt = t.run(() -> Aio.async(() -> {
        try {
          Aio.await(Aio.timeout(Duration.ofMinutes(10), () -> Aio.async(() -> {
            try {
              return Aio.await(Aio.sleep(Duration.ofDays(1), "slept a day"));
            } catch (CancelledException e) {
              inner.add("cancelled at " + Loop.current().time());
              throw e;
            }
          })));
          throw new AssertionError("a day's sleep beat a ten-minute timeout");
        } catch (AsyncTimeoutException expected) {
          return Loop.current().time();
        }
      }));
      assertThat(inner).containsExactly("cancelled at 600.0");
      assertThat(timedOutAt).isEqualTo(600.0);
    }
  }

  @Test
  void advanceByResumesASuspendedBodyExactlyAtItsDeadline() {
    try (TestLoop t = TestLoop.create(TestLoopOptions.builder().autoAdvance(false).build())) {
      Task<Double> body = t.loop().submit(() -> Aio.async(() -> {
        Aio.await(Aio.sleep(Duration.ofSeconds(10)));
        return Loop.current().time();
      }));
      t.advanceBy(Duration.ofSeconds(5));
      assertThat(body.isDone()).isFalse();
      t.advanceBy(Duration.ofSeconds(5));
      assertThat(body.isDone()).isTrue();
      assertThat(body.join()).isEqualTo(10.0);
      assertThat(t.time()).isEqualTo(10.0);
    }
  }

  @Test
  void theClockStandsStillWhileABodyComputesOrBlocksBetweenTwoAwaits() {
    try (TestLoop t = TestLoop.create(NO_GRACE)) {
      List<String> fired = new CopyOnWriteArrayList<>();
      List<String> seen = t.run(() -> {
        Loop loop = Loop.current();
        loop.callLater(Duration.ofMillis(1), () -> fired.add("timer at " + loop.time()));
        return Aio.async(() -> {
          List<String> log = new ArrayList<>();
          spin(Duration.ofMillis(150)); // real work: the 1 ms timer is long due in real time
          log.add("computed: time " + loop.time() + ", timers run " + fired);
          Thread.sleep(150); // a blocking call holds the loop too (it parks the body's thread)
          log.add("blocked: time " + loop.time() + ", timers run " + fired);
          Aio.await(Aio.sleep(Duration.ofMillis(5)));
          log.add("slept: time " + loop.time() + ", timers run " + fired);
          return log;
        });
      });
      assertThat(seen).containsExactly("computed: time 0.0, timers run []", "blocked: time 0.0, timers run []",
          "slept: time 0.005, timers run [timer at 0.001]");
      assertThat(t.errors()).isEmpty();
    }
  }

  @Test
  void theClockStandsStillWhileABodyAwaitsAToThreadCall() {
    try (TestLoop t = TestLoop.create(NO_GRACE)) {
      String v = t.run(() -> Aio.async(() -> Aio.await(Aio.waitFor(Aio.toThread(() -> {
        Thread.sleep(200); // real blocking work off the loop, which virtual time must wait for
        return "done";
      }), Duration.ofSeconds(1)))));
      assertThat(v).isEqualTo("done");
      assertThat(t.time()).isZero();
    }
  }

  @Test
  void noTimerCallbackOrOtherTaskRunsWhileABodyRunsBetweenTwoAwaits() {
    try (TestLoop t = TestLoop.create(NO_GRACE)) {
      int[] ticks = {0}; // a plain field: bumped every virtual millisecond by another task
      List<String> broken = t.run(() -> {
        Task<Void> ticker = Aio.createTask(() -> Aio.repeatWhile(() -> {
          ticks[0]++;
          return Aio.sleep(Duration.ofMillis(1), true);
        }));
        return Aio.async(() -> {
          List<String> interleaved = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            int before = ticks[0];
            double at = Loop.current().time();
            if (i % 2 == 0) {
              spin(Duration.ofMillis(20));
            } else {
              Thread.sleep(20);
            }
            if (ticks[0] != before || Loop.current().time() != at) {
              interleaved.add("stretch " + i + ": ticks " + before + " -> " + ticks[0] + ", time " + at + " -> "
                  + Loop.current().time());
            }
            Aio.await(Aio.sleep(Duration.ofMillis(1)));
          }
          return interleaved;
        }).whenComplete((v, e) -> ticker.cancel());
      });
      assertThat(broken).isEmpty();
      assertThat(ticks[0]).as("the other task ran between the awaits").isGreaterThanOrEqualTo(10);
      assertThat(t.time()).isEqualTo(0.010);
      assertThat(t.errors()).as("the loop's own exclusion check").isEmpty();
    }
  }

  @Test
  void manyBodiesAndCallbackTasksSharingPlainStateStayExactAcrossClockJumps() {
    int bodies = 100;
    int tasks = 100;
    int steps = 50;
    Random random = new Random(7);
    long[][] delays = new long[bodies + tasks][steps];
    for (long[] row : delays) {
      for (int k = 0; k < steps; k++) {
        row[k] = random.nextInt(1_000);
      }
    }
    try (TestLoop t = TestLoop.create(NO_GRACE)) {
      int[] shared = {0}; // deliberately not atomic: a lost update shows a broken exclusion
      t.run(() -> {
        List<Promise<?>> all = new ArrayList<>();
        for (int i = 0; i < bodies; i++) {
          long[] mine = delays[i];
          all.add(Aio.async(() -> {
            for (long d : mine) {
              incrementSlowly(shared);
              Aio.await(Aio.sleep(Duration.ofMillis(d)));
            }
            return null;
          }));
        }
        for (int i = 0; i < tasks; i++) {
          long[] mine = delays[bodies + i];
          int[] step = {0};
          all.add(Aio.createTask(() -> Aio.repeatWhile(() -> {
            incrementSlowly(shared);
            return Aio.sleep(Duration.ofMillis(mine[step[0]]), ++step[0] < steps);
          })));
        }
        return Aio.gather(all);
      });
      assertThat(shared[0]).isEqualTo((bodies + tasks) * steps);
      long longest = Arrays.stream(delays).mapToLong(row -> Arrays.stream(row).sum()).max().orElseThrow();
      assertThat(t.time()).as("the longest chain of sleeps, exactly").isEqualTo(longest / 1e3);
      assertThat(t.errors()).as("the loop's own exclusion check").isEmpty();
    }
  }

  @Test
  void aBodyAwaitingAPromiseNobodySettlesIsNamedInTheDeadlockReport() {
    try (TestLoop t = TestLoop.create()) {
      List<String> bodySaw = new CopyOnWriteArrayList<>();
      long start = System.nanoTime();
      DeadlockException e = catchThrowableOfType(DeadlockException.class, () -> t.run(() -> {
        Aio.currentTask().orElseThrow().setName("main");
        CompletablePromise<String> never = Loop.current().newPromise();
        Task<String> waiter = Aio.async(() -> {
          try {
            return Aio.await(never);
          } catch (CancelledException cancelled) {
            bodySaw.add("cancelled");
            throw cancelled;
          }
        }, "waiter");
        return Aio.async(() -> Aio.await(waiter), "outer");
      }));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(e).as("a DeadlockException").isNotNull();
      assertThat(e.tasks()).containsExactly("main awaits task outer", "outer awaits task waiter",
          "waiter awaits Promise(PENDING)");
      assertThat(bodySaw).as("the body's await was cancelled with main").containsExactly("cancelled");
      assertThat(took).as("well under the 60 s real timeout").isLessThan(Duration.ofSeconds(10));
      assertThat(t.time()).isZero();
    }
  }

  @Test
  void aBodyWithATimerPendingIsNoDeadlock() {
    try (TestLoop t = TestLoop.create()) {
      String v = t.run(() -> Aio.async(() -> {
        CompletablePromise<String> later = Loop.current().newPromise();
        Loop.current().callLater(Duration.ofDays(3), () -> later.complete("three days later"));
        return Aio.await(later);
      }));
      assertThat(v).isEqualTo("three days later");
      assertThat(t.time()).isEqualTo(3 * 86_400.0);
    }
  }

  /** Reads, waits a moment, writes back: an update that a concurrent one would be lost in. */
  private static void incrementSlowly(int[] counter) {
    int before = counter[0];
    Thread.onSpinWait();
    counter[0] = before + 1;
  }

  /** Keeps the calling thread busy for {@code d} of real time (CPU work, not a blocking call). */
  private static void spin(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
