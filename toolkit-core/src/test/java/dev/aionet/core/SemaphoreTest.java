package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SemaphoreTest {
  private final TestLoop loop = new TestLoop();
  private final List<Integer> order = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  private Task<Void> acquirer(AsyncSemaphore sem, int id) {
    return loop.start(() -> sem.acquire().thenAccept(v -> order.add(id)));
  }

  @Test
  void aNegativeInitialValueIsRejected() {
    // asyncio: test_initial_value_zero / ValueError("Semaphore initial value must be >= 0")
    assertThatThrownBy(() -> new AsyncSemaphore(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be >= 0");
    assertThat(new AsyncSemaphore(0).locked()).isTrue();
  }

  @Test
  void permitsAreTakenAtOnceThenWaitersAreServedFifo() {
    // asyncio: test_acquire
    AsyncSemaphore sem = new AsyncSemaphore(3);
    assertThat(sem.available()).isEqualTo(3);
    sem.acquire().join();
    sem.acquire().join();
    assertThat(sem.locked()).isFalse();
    sem.acquire().join();
    assertThat(sem.locked()).isTrue();
    assertThat(sem.available()).isZero();
    for (int i = 1; i <= 3; i++) {
      acquirer(sem, i);
      loop.runBriefly();
    }
    sem.release();
    sem.release();
    loop.runBriefly();
    assertThat(order).containsExactly(1, 2);
    sem.release();
    loop.runBriefly();
    assertThat(order).containsExactly(1, 2, 3);
    assertThat(sem.waiterCount()).isZero();
  }

  @Test
  void aNewcomerWaitsWhileOthersWaitEvenIfAPermitIsFree() {
    // asyncio: locked() is True while a waiter that is not cancelled exists
    AsyncSemaphore sem = new AsyncSemaphore(0);
    acquirer(sem, 1);
    loop.runBriefly();
    String seen = loop.call(() -> {
      TestLoop.onAnotherThread(sem::release); // the permit goes to waiter 1, which has not run yet
      Promise<Void> newcomer = sem.acquire();
      newcomer.thenAccept(v -> order.add(2));
      return Promise.completed(newcomer.isDone() + " " + sem.available());
    });
    assertThat(seen).isEqualTo("false 0");
    loop.runBriefly();
    assertThat(order).containsExactly(1);
    sem.release();
    loop.runBriefly();
    assertThat(order).containsExactly(1, 2);
  }

  @Test
  void cancelledWaitersDoNotTakeThePermit() {
    // asyncio: test_acquire_cancel_before_awoken
    AsyncSemaphore sem = new AsyncSemaphore(0);
    Task<Void> t1 = acquirer(sem, 1);
    Task<Void> t2 = acquirer(sem, 2);
    Task<Void> t3 = acquirer(sem, 3);
    Task<Void> t4 = acquirer(sem, 4);
    loop.runBriefly();
    t1.cancel();
    t2.cancel();
    sem.release();
    loop.runBriefly();
    assertThat(t1.isCancelled()).isTrue();
    assertThat(t2.isCancelled()).isTrue();
    assertThat(t3.isSuccess()).isTrue();
    assertThat(t4.isDone()).isFalse();
    assertThat(order).containsExactly(3);
    assertThat(sem.locked()).isTrue();
    assertThat(sem.waiterCount()).isEqualTo(1);
    t4.cancel();
    loop.runBriefly();
    assertThat(sem.waiterCount()).isZero();
  }

  @Test
  void aWaiterCancelledAfterItGotThePermitGivesItToTheNext() {
    // asyncio: test_acquire_hang and the "_value += 1" undo in acquire
    AsyncSemaphore sem = new AsyncSemaphore(0);
    Task<Void> t1 = acquirer(sem, 1);
    Task<Void> t2 = acquirer(sem, 2);
    loop.runBriefly();
    loop.call(() -> {
      TestLoop.onAnotherThread(sem::release);
      t1.cancel();
      return Promise.completed(null);
    });
    loop.runBriefly();
    assertThat(t1.isCancelled()).isTrue();
    assertThat(t2.isSuccess()).isTrue();
    assertThat(sem.locked()).isTrue();
    assertThat(sem.available()).isZero();

    Task<Void> t3 = acquirer(sem, 3);
    loop.runBriefly();
    loop.call(() -> {
      TestLoop.onAnotherThread(sem::release);
      t3.cancel();
      return Promise.completed(null);
    });
    loop.runBriefly();
    assertThat(t3.isCancelled()).isTrue();
    assertThat(sem.available()).as("nobody else waits: the permit is back").isEqualTo(1);
    assertThat(sem.waiterCount()).isZero();
  }

  @Test
  void aBoundedSemaphoreRefusesOverRelease() {
    // asyncio: test_release_no_waiters / BoundedSemaphore ValueError
    AsyncBoundedSemaphore sem = new AsyncBoundedSemaphore(2);
    assertThatThrownBy(sem::release).isInstanceOf(IllegalStateException.class)
        .hasMessage("BoundedSemaphore released too many times");
    assertThat(sem.available()).isEqualTo(2);
    sem.acquire().join();
    sem.release();
    assertThat(sem.available()).isEqualTo(2);
  }

  @Test
  void anUnboundedSemaphoreMayBeReleasedBeyondItsInitialValue() {
    // asyncio: Semaphore.release() has no bound
    AsyncSemaphore sem = new AsyncSemaphore(1);
    sem.release();
    assertThat(sem.available()).isEqualTo(2);
  }
}
