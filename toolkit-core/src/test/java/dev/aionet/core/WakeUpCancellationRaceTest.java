package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wake-up (release, put, get) and the cancellation of the woken task, from two other threads at
 * the same moment, many times over: whichever wins, nothing is lost and no waiter stays queued.
 */
@Timeout(120)
class WakeUpCancellationRaceTest {
  private static final Logger log = LoggerFactory.getLogger(WakeUpCancellationRaceTest.class);
  private static final int ITERATIONS = 10_000;

  private final TestLoop loop = new TestLoop();
  private final ExecutorService racers = Executors.newFixedThreadPool(2);
  private final CyclicBarrier gate = new CyclicBarrier(2);

  @AfterEach
  void stop() throws InterruptedException {
    racers.shutdownNow();
    racers.awaitTermination(10, TimeUnit.SECONDS);
    loop.close();
  }

  /** Runs both actions on the two racer threads, released together, and waits for both. */
  private void race(Runnable wakeUp, Runnable cancel) throws Exception {
    Future<?> a = racers.submit(() -> {
      gate.await();
      wakeUp.run();
      return null;
    });
    Future<?> b = racers.submit(() -> {
      gate.await();
      cancel.run();
      return null;
    });
    a.get(10, TimeUnit.SECONDS);
    b.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aReleaseRacingACancelledAcquireNeverLosesThePermit() throws Exception {
    int first = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      AsyncSemaphore sem = new AsyncSemaphore(0);
      Task<Void> t1 = loop.start(sem::acquire);
      Task<Void> t2 = loop.start(sem::acquire);
      TestLoop.awaitTrue(() -> sem.waiterCount() == 2);
      race(sem::release, t1::cancel);
      TestLoop.awaitTrue(() -> t1.isDone() && (t1.isSuccess() || t2.isDone()));
      // the permit went to t1, or (t1 cancelled) on to t2: exactly one of them holds it
      assertThat(t1.isSuccess() ^ t2.isSuccess()).as("iteration %d: %s %s", i, t1, t2).isTrue();
      assertThat(sem.available()).isZero();
      first += t1.isSuccess() ? 1 : 0;
      if (!t2.isDone()) {
        t2.cancel();
        TestLoop.awaitTrue(t2::isDone);
      }
      TestLoop.awaitTrue(() -> sem.waiterCount() == 0);
      assertThat(sem.available()).isZero();
    }
    log.info("release vs cancel: the first waiter kept the permit {} times of {}", first, ITERATIONS);
  }

  @Test
  void aLockReleaseRacingACancelledWaiterNeverLeavesItLocked() throws Exception {
    for (int i = 0; i < ITERATIONS; i++) {
      AsyncLock lock = new AsyncLock();
      lock.acquire().join();
      Task<Void> waiter = loop.start(lock::acquire);
      TestLoop.awaitTrue(() -> lock.waiterCount() == 1);
      race(lock::release, waiter::cancel);
      TestLoop.awaitTrue(waiter::isDone);
      assertThat(lock.isLocked()).as("iteration %d: %s", i, waiter).isEqualTo(waiter.isSuccess());
      assertThat(lock.waiterCount()).isZero();
    }
  }

  @Test
  void aPutRacingACancelledGetNeverLosesTheItem() throws Exception {
    int first = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      AsyncQueue<Integer> q = new AsyncQueue<>();
      Task<Integer> t1 = loop.start(q::get);
      Task<Integer> t2 = loop.start(q::get);
      TestLoop.awaitTrue(() -> q.getterCount() == 2);
      int item = i;
      race(() -> q.putNowait(item), t1::cancel);
      TestLoop.awaitTrue(() -> t1.isDone() && (t1.isSuccess() || t2.isDone()));
      assertThat(t1.isSuccess() ^ t2.isSuccess()).as("iteration %d: %s %s", i, t1, t2).isTrue();
      assertThat((t1.isSuccess() ? t1 : t2).result()).isEqualTo(item);
      assertThat(q.size()).isZero();
      first += t1.isSuccess() ? 1 : 0;
      if (!t2.isDone()) {
        t2.cancel();
        TestLoop.awaitTrue(t2::isDone);
      }
      TestLoop.awaitTrue(() -> q.getterCount() == 0);
    }
    log.info("put vs cancel: the first getter got the item {} times of {}", first, ITERATIONS);
  }

  @Test
  void aGetRacingACancelledPutNeverInsertsTwiceOrLosesTheSlot() throws Exception {
    for (int i = 0; i < ITERATIONS; i++) {
      AsyncQueue<Integer> q = new AsyncQueue<>(1);
      q.putNowait(-1);
      Task<Void> t1 = loop.start(() -> q.put(1));
      Task<Void> t2 = loop.start(() -> q.put(2));
      TestLoop.awaitTrue(() -> q.putterCount() == 2);
      int[] got = new int[1];
      race(() -> got[0] = q.getNowait(), t1::cancel);
      TestLoop.awaitTrue(() -> t1.isDone() && (t1.isSuccess() || t2.isDone()));
      assertThat(got[0]).isEqualTo(-1);
      assertThat(t1.isSuccess() ^ t2.isSuccess()).as("iteration %d: %s %s", i, t1, t2).isTrue();
      assertThat(q.size()).isEqualTo(1);
      assertThat(q.getNowait()).isEqualTo(t1.isSuccess() ? 1 : 2);
      if (!t2.isDone()) {
        TestLoop.awaitTrue(t2::isDone); // the get above freed the slot for t2
      }
      TestLoop.awaitTrue(() -> q.putterCount() == 0);
    }
  }

  @Test
  void aSignalRacingACancelledConditionWaiterIsNeverLost() throws Exception {
    int first = 0;
    for (int i = 0; i < ITERATIONS / 5; i++) {
      AsyncCondition cond = new AsyncCondition();
      Task<Void> t1 = loop.start(() -> cond.withLock(cond::await));
      Task<Void> t2 = loop.start(() -> cond.withLock(cond::await));
      TestLoop.awaitTrue(() -> cond.waiterCount() == 2 && !cond.isLocked());
      cond.acquire().join(TestLoop.WAIT); // signalling needs the lock
      race(cond::signal, t1::cancel);
      cond.release();
      TestLoop.awaitTrue(() -> t1.isDone() && (t1.isSuccess() || t2.isDone()));
      // the signal reached t1, or (t1 cancelled, before or after it) was passed on to t2
      assertThat(t1.isSuccess() ^ t2.isSuccess()).as("iteration %d: %s %s", i, t1, t2).isTrue();
      first += t1.isSuccess() ? 1 : 0;
      if (!t2.isDone()) {
        t2.cancel();
        TestLoop.awaitTrue(t2::isDone);
      }
      TestLoop.awaitTrue(() -> !cond.isLocked());
      assertThat(cond.waiterCount()).isZero();
      assertThat(cond.lockWaiterCount()).isZero();
    }
    log.info("signal vs cancel: the first waiter kept the signal {} times of {}", first, ITERATIONS / 5);
  }
}
