package dev.aionet.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every clock of a TestLoop follows its virtual time, and timers fire exactly at their deadlines. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualTimeTest {
  private static final TestLoopOptions NO_GRACE = TestLoopOptions.builder().ioGrace(Duration.ZERO).build();

  @Test
  void theClockStartsAtZeroAndIsTheLoopsTime() {
    try (TestLoop t = TestLoop.create()) {
      assertThat(t.time()).isZero();
      assertThat(t.loop().time()).isZero();
      assertThat(t.run(() -> Promise.completed(Loop.current().time()))).isZero();
    }
  }

  @Test
  void sleepingAnHourTakesMillisecondsOfRealTimeAndExactlyAnHourOfLoopTime() {
    long[] took = new long[5];
    for (int i = 0; i < took.length; i++) {
      try (TestLoop t = TestLoop.create()) {
        long start = System.nanoTime();
        String woke = t.run(() -> Aio.sleep(Duration.ofHours(1), "woke"));
        took[i] = System.nanoTime() - start;
        assertThat(woke).isEqualTo("woke");
        assertThat(t.time()).isEqualTo(3600.0);
        assertThat(t.loop().time()).isEqualTo(3600.0);
      }
    }
    Arrays.sort(took);
    assertThat(Duration.ofNanos(took[took.length / 2])).as("median real time of five runs")
        .isLessThan(Duration.ofMillis(50));
  }

  @Test
  void waitForANeverSettlingPromiseFailsExactlyThirtySecondsLater() {
    try (TestLoop t = TestLoop.create()) {
      t.advanceBy(Duration.ofMillis(1234)); // not at 0, so the deadline arithmetic is exercised
      double[] failedAt = new double[1];
      assertThatThrownBy(() -> t.run(() -> {
        CompletablePromise<String> never = Loop.current().newPromise();
        return Aio.waitFor(never, Duration.ofSeconds(30)).whenComplete((v, e) -> failedAt[0] = Loop.current().time());
      })).isInstanceOf(AsyncTimeoutException.class);
      assertThat(failedAt[0]).isEqualTo(31.234);
      assertThat(t.time()).isEqualTo(31.234);
    }
  }

  @Test
  void tenThousandRandomTimersFireInDeadlineOrderEachWithTheClockAtItsDeadline() {
    Random random = new Random(22);
    int n = 10_000;
    long[] delaysMillis = new long[n];
    for (int i = 0; i < n; i++) {
      delaysMillis[i] = random.nextInt(2_000); // many equal deadlines
    }
    try (TestLoop t = TestLoop.create(NO_GRACE)) {
      List<double[]> fired = t.run(() -> {
        Loop loop = Loop.current();
        List<double[]> log = new ArrayList<>();
        CompletablePromise<List<double[]>> all = loop.newPromise();
        for (int i = 0; i < n; i++) {
          int index = i;
          double deadline = loop.time() + delaysMillis[i] / 1e3;
          loop.callLater(Duration.ofMillis(delaysMillis[i]), () -> {
            log.add(new double[] {index, deadline, loop.time()});
            if (log.size() == n) {
              all.complete(log);
            }
          });
        }
        return all;
      });
      List<double[]> expected = new ArrayList<>(fired);
      expected.sort(Comparator.<double[]>comparingDouble(f -> f[1]).thenComparingDouble(f -> f[0]));
      assertThat(fired).containsExactlyElementsOf(expected);
      for (double[] f : fired) {
        assertThat(f[2]).as("time() when timer %s fired", (int) f[0]).isEqualTo(f[1]);
      }
      assertThat(t.time()).isEqualTo(Arrays.stream(delaysMillis).max().getAsLong() / 1e3);
    }
  }

  @Test
  void timeoutAndCallLaterFireOnVirtualTime() {
    try (TestLoop t = TestLoop.create()) {
      double[] calledAt = new double[1];
      assertThatThrownBy(() -> t.run(() -> {
        Loop.current().callLater(Duration.ofMinutes(5), () -> calledAt[0] = Loop.current().time());
        return Aio.timeout(Duration.ofMinutes(10), () -> Aio.sleep(Duration.ofDays(1)));
      })).isInstanceOf(AsyncTimeoutException.class);
      assertThat(calledAt[0]).isEqualTo(300.0);
      assertThat(t.time()).isEqualTo(600.0);
    }
  }

  @Test
  void advanceByRunsWhatIsDueInOrderAndStopsExactlyAtItsTarget() {
    try (TestLoop t = TestLoop.create(TestLoopOptions.builder().autoAdvance(false).build())) {
      List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
      Task<Void> sleeper = t.loop().submit(() -> Aio.sleep(Duration.ofSeconds(10))
          .thenApply(x -> {
            order.add("sleeper at " + Loop.current().time());
            return null;
          }));
      t.loop().callLater(Duration.ofSeconds(3), () -> order.add("timer at " + t.loop().time()));
      t.advanceBy(Duration.ofSeconds(5));
      assertThat(t.time()).isEqualTo(5.0);
      assertThat(sleeper.isDone()).isFalse();
      assertThat(order).containsExactly("timer at 3.0");
      t.advanceBy(Duration.ofSeconds(5));
      assertThat(sleeper.isDone()).isTrue();
      assertThat(order).containsExactly("timer at 3.0", "sleeper at 10.0");
      assertThat(t.time()).isEqualTo(10.0);
    }
  }

  @Test
  void withoutAutoAdvanceTheClockStandsStillUntilAdvanced() {
    try (TestLoop t = TestLoop.create(TestLoopOptions.builder().autoAdvance(false)
        .realTimeout(Duration.ofMillis(300)).build())) {
      assertThatThrownBy(() -> t.run(() -> Aio.sleep(Duration.ofSeconds(1))))
          .isInstanceOf(AsyncTimeoutException.class)
          .hasMessageContaining("did not finish within PT0.3S of real time");
      assertThat(t.time()).isZero();
    }
  }

  @Test
  void theClockDoesNotJumpWhileAToThreadCallRuns() {
    try (TestLoop t = TestLoop.create(NO_GRACE)) {
      String v = t.run(() -> Aio.waitFor(Aio.toThread(() -> {
        Thread.sleep(200); // real blocking work, which virtual time must wait for
        return "done";
      }), Duration.ofSeconds(1)));
      assertThat(v).isEqualTo("done");
      assertThat(t.time()).isZero();
    }
  }

  @Test
  void runReturnsMainsValueAndLeavesTheLoopOpenForTheNextRun() {
    try (TestLoop t = TestLoop.create()) {
      assertThat(t.run(() -> Aio.sleep(Duration.ofSeconds(1), 1))).isEqualTo(1);
      assertThat(t.run(() -> Aio.sleep(Duration.ofSeconds(2), 2))).isEqualTo(2);
      assertThat(t.time()).isEqualTo(3.0);
      assertThatThrownBy(() -> t.run(() -> {
        throw new IllegalArgumentException("bad");
      })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad");
    }
  }

  @Test
  void callsFromTheLoopThreadAndAfterCloseAreRefused() {
    TestLoop t = TestLoop.create();
    Throwable onLoop = t.run(() -> {
      try {
        t.advanceBy(Duration.ofSeconds(1));
        return Promise.completed(null);
      } catch (IllegalStateException e) {
        return Promise.completed(e);
      }
    });
    assertThat(onLoop).isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop thread");
    t.close();
    t.close(); // idempotent
    assertThatThrownBy(() -> t.run(() -> Promise.completed(1))).isInstanceOf(IllegalStateException.class)
        .hasMessage("TestLoop is closed");
    assertThatThrownBy(() -> t.advanceBy(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
  }
}
