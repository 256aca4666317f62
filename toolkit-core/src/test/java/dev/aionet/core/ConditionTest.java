package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ConditionTest {
  private final TestLoop loop = new TestLoop();
  private final AsyncCondition cond = new AsyncCondition();
  private final List<Integer> result = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  /** asyncio: {@code async with cond: await cond.wait(); result.append(id)}. */
  private Task<Void> waiter(int id) {
    return loop.start(() -> cond.withLock(() -> cond.await().thenAccept(v -> result.add(id))));
  }

  /** Runs {@code body} on the loop with the condition's lock held. */
  private void withLockOnLoop(Runnable body) {
    loop.call(() -> cond.withLock(() -> {
      body.run();
      return Promise.completed(null);
    }));
  }

  @Test
  void awaitWithoutTheLockFails() {
    // asyncio: test_wait_unacquired: RuntimeError('cannot wait on un-acquired lock')
    Promise<Void> waiting = cond.await();
    assertThat(waiting.isFailed()).isTrue();
    assertThat(waiting.exception()).isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot wait on un-acquired lock");
  }

  @Test
  void signalWithoutTheLockThrows() {
    // asyncio: test_notify_unacquired / test_notify_all_unacquired
    assertThatThrownBy(cond::signal).isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot notify on un-acquired lock");
    assertThatThrownBy(cond::signalAll).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aSignalledWaiterResumesOnlyOnceItHasTheLockAgain() {
    // asyncio: test_wait
    Task<Void> t1 = waiter(1);
    Task<Void> t2 = waiter(2);
    Task<Void> t3 = waiter(3);
    loop.runBriefly();
    assertThat(cond.waiterCount()).isEqualTo(3);
    assertThat(cond.isLocked()).isFalse();

    cond.acquire().join(TestLoop.WAIT);
    cond.signal();
    loop.runBriefly();
    assertThat(result).isEmpty(); // signalled, but the lock is still ours
    cond.release();
    loop.runBriefly();
    assertThat(result).containsExactly(1);
    assertThat(t1.isSuccess()).isTrue();

    cond.acquire().join(TestLoop.WAIT);
    cond.signal(2);
    cond.release();
    loop.runBriefly();
    assertThat(result).containsExactly(1, 2, 3);
    assertThat(List.of(t2, t3)).allMatch(Promise::isSuccess);
    assertThat(cond.isLocked()).isFalse();
    assertThat(cond.waiterCount()).isZero();
  }

  @Test
  void signalWakesAtMostNWaitersFirstComeFirstWoken() {
    // asyncio: test_notify / test_notify_all
    for (int i = 1; i <= 4; i++) {
      waiter(i);
    }
    loop.runBriefly();
    withLockOnLoop(() -> cond.signal(1));
    loop.runBriefly();
    assertThat(result).containsExactly(1);
    withLockOnLoop(() -> cond.signal(2));
    loop.runBriefly();
    assertThat(result).containsExactly(1, 2, 3);
    withLockOnLoop(cond::signalAll);
    loop.runBriefly();
    assertThat(result).containsExactly(1, 2, 3, 4);
    withLockOnLoop(() -> cond.signal(5)); // nobody waits: harmless
  }

  @Test
  void aCancelledAwaitReacquiresTheLockBeforeItSettles() {
    // asyncio: test_wait_cancel_contested
    AtomicBoolean heldWhenSettled = new AtomicBoolean();
    Task<Void> t = loop.start(() -> cond.withLock(() -> cond.await()
        .whenComplete((v, e) -> heldWhenSettled.set(cond.isLocked()))));
    loop.runBriefly();
    cond.acquire().join(TestLoop.WAIT); // the lock is contested when the cancellation arrives
    t.cancel();
    loop.runBriefly();
    assertThat(t.isDone()).as("still re-acquiring the lock").isFalse();
    assertThat(cond.waiterCount()).isZero();
    cond.release();
    assertThatThrownBy(() -> t.join(TestLoop.WAIT)).isInstanceOf(CancelledException.class);
    assertThat(heldWhenSettled).isTrue();
    assertThat(cond.isLocked()).as("withLock released the lock it held").isFalse();
    assertThat(cond.lockWaiterCount()).isZero();
  }

  @Test
  void repeatedCancelsWhileReacquiringEndWithTheLastOne() {
    // asyncio: test_wait_cancel_after_notify / "re-raise most recent exception instance"
    Task<Void> t = loop.start(() -> cond.withLock(cond::await));
    loop.runBriefly();
    cond.acquire().join(TestLoop.WAIT);
    for (String message : List.of("first", "second", "third")) {
      t.cancel(message);
      loop.runBriefly();
      assertThat(t.isDone()).isFalse();
    }
    cond.release();
    assertThatThrownBy(() -> t.join(TestLoop.WAIT)).isInstanceOf(CancelledException.class).hasMessage("third");
    assertThat(cond.isLocked()).isFalse();
    assertThat(cond.lockWaiterCount()).isZero();
  }

  @Test
  void aSignalledWaiterThatIsCancelledPassesTheSignalOn() {
    // asyncio: test_cancelled_wakeup (3.13)
    Task<Void> t1 = waiter(1);
    Task<Void> t2 = waiter(2);
    loop.runBriefly();
    withLockOnLoop(() -> {
      cond.signal(); // t1 is woken and waits for the lock we hold
      t1.cancel();
    });
    loop.runBriefly();
    assertThat(t1.isCancelled()).isTrue();
    assertThat(t2.isSuccess()).as("the signal t1 could not use went to t2").isTrue();
    assertThat(result).containsExactly(2);
    assertThat(cond.waiterCount()).isZero();
  }

  @Test
  void aWaiterCancelledBetweenItsSignalAndItsResumptionPassesTheSignalOn() {
    // asyncio: test_cancelled_error_wakeup: the signal arrives, the task is cancelled before it runs
    Task<Void> t1 = waiter(1);
    Task<Void> t2 = waiter(2);
    loop.runBriefly();
    withLockOnLoop(() -> {
      TestLoop.onAnotherThread(cond::signal); // we hold the lock, so signalling is allowed
      t1.cancel();
    });
    loop.runBriefly();
    assertThat(t1.isCancelled()).isTrue();
    assertThat(t2.isSuccess()).isTrue();
    assertThat(result).containsExactly(2);
  }

  @Test
  void awaitUntilChecksThePredicateAfterEachSignal() {
    // asyncio: test_wait_for
    AtomicBoolean ready = new AtomicBoolean();
    AtomicInteger checks = new AtomicInteger();
    Task<Void> t = loop.start(() -> cond.withLock(() -> cond.awaitUntil(() -> {
      checks.incrementAndGet();
      return ready.get();
    }).thenAccept(v -> result.add(1))));
    loop.runBriefly();
    assertThat(checks).hasValue(1);
    withLockOnLoop(cond::signal);
    loop.runBriefly();
    assertThat(checks).hasValue(2);
    assertThat(t.isDone()).isFalse();
    withLockOnLoop(() -> {
      ready.set(true);
      cond.signal();
    });
    loop.runBriefly();
    assertThat(t.isSuccess()).isTrue();
    assertThat(checks).hasValue(3);
    assertThat(cond.isLocked()).isFalse();
  }

  @Test
  void awaitUntilWithATruePredicateNeedsNoLockButAFalseOneDoes() {
    // asyncio: test_wait_for_unacquired
    assertThat(cond.awaitUntil(() -> true).isSuccess()).isTrue();
    Promise<Void> refused = cond.awaitUntil(() -> false);
    assertThat(refused.exception()).isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot wait on un-acquired lock");
  }

  @Test
  void aThrowingPredicateFailsTheWaitWithTheLockHeld() {
    AtomicBoolean explode = new AtomicBoolean();
    Task<Void> t = loop.start(() -> cond.withLock(() -> cond.awaitUntil(() -> {
      if (explode.get()) {
        throw new IllegalArgumentException("predicate");
      }
      return false;
    })));
    loop.runBriefly();
    withLockOnLoop(() -> {
      explode.set(true);
      cond.signal();
    });
    assertThatThrownBy(() -> t.join(TestLoop.WAIT)).hasMessage("predicate");
    assertThat(cond.isLocked()).isFalse();
  }

  @Test
  void aConditionMayShareALock() {
    // asyncio: test_explicit_lock
    AsyncLock lock = new AsyncLock();
    AsyncCondition c1 = new AsyncCondition(lock);
    AsyncCondition c2 = new AsyncCondition(lock);
    lock.acquire().join();
    assertThat(c1.isLocked()).isTrue();
    assertThat(c2.isLocked()).isTrue();
    c2.release();
    assertThat(lock.isLocked()).isFalse();
  }
}
