package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LockTest {
  private final TestLoop loop = new TestLoop();
  private final AsyncLock lock = new AsyncLock();
  private final List<String> order = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  private Task<Void> acquirer(String name) {
    return loop.start(() -> lock.acquire().thenAccept(v -> order.add(name)));
  }

  @Test
  void acquireOfAFreeLockSucceedsAtOnce() {
    // asyncio: test_acquire: acquire() returns True at once on a free lock
    Promise<Void> acquired = lock.acquire();
    assertThat(acquired.isSuccess()).isTrue();
    assertThat(lock.isLocked()).isTrue();
    lock.release();
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void waitersAcquireInFifoOrder() {
    // asyncio: test_acquire
    lock.acquire().join();
    Task<Void> b = acquirer("b");
    loop.runBriefly();
    Task<Void> c = acquirer("c");
    loop.runBriefly();
    Task<Void> d = acquirer("d");
    loop.runBriefly();
    assertThat(order).isEmpty();
    assertThat(lock.waiterCount()).isEqualTo(3);

    lock.release();
    loop.runBriefly();
    assertThat(order).containsExactly("b");
    lock.release();
    loop.runBriefly();
    assertThat(order).containsExactly("b", "c");
    lock.release();
    loop.runBriefly();
    assertThat(order).containsExactly("b", "c", "d");
    assertThat(List.of(b, c, d)).allMatch(Promise::isSuccess);
    lock.release();
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.waiterCount()).isZero();
  }

  @Test
  void aNewcomerDoesNotJumpTheQueueDuringAHandOver() {
    // asyncio: test_fast_path...: no barging while an earlier waiter is woken
    lock.acquire().join();
    acquirer("b");
    loop.runBriefly();
    String result = loop.call(() -> {
      TestLoop.onAnotherThread(lock::release); // wakes b; b runs only after this callback
      Promise<Void> newcomer = lock.acquire();
      newcomer.thenAccept(v -> order.add("newcomer"));
      return Promise.completed(newcomer.isDone() + " " + lock.isLocked());
    });
    assertThat(result).isEqualTo("false true");
    loop.runBriefly();
    assertThat(order).containsExactly("b");
    lock.release();
    loop.runBriefly();
    assertThat(order).containsExactly("b", "newcomer");
  }

  @Test
  void releasingAnUnlockedLockThrows() {
    // asyncio: test_release_not_acquired: RuntimeError('Lock is not acquired.')
    assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class).hasMessage("Lock is not acquired.");
  }

  @Test
  void aCancelledWaiterIsRemovedAndTheOthersStillAcquire() {
    // asyncio: test_acquire_cancel and test_cancel_race
    lock.acquire().join();
    Task<Void> b = acquirer("b");
    Task<Void> c = acquirer("c");
    loop.runBriefly();
    b.cancel();
    loop.runBriefly();
    assertThat(b.isCancelled()).isTrue();
    assertThat(lock.waiterCount()).isEqualTo(1);
    lock.release();
    loop.runBriefly();
    assertThat(c.isSuccess()).isTrue();
    assertThat(order).containsExactly("c");
    assertThat(lock.waiterCount()).isZero();
  }

  @Test
  void aWaiterCancelledAfterItsWakeUpPassesTheLockOn() {
    // asyncio: test_cancel_release_race / test_finished_waiter_cancelled
    lock.acquire().join();
    Task<Void> b = acquirer("b");
    Task<Void> c = acquirer("c");
    loop.runBriefly();
    loop.call(() -> {
      TestLoop.onAnotherThread(lock::release); // b's waiter is completed; b has not resumed
      b.cancel();
      return Promise.completed(null);
    });
    loop.runBriefly();
    assertThat(b.isCancelled()).isTrue();
    assertThat(c.isSuccess()).isTrue();
    assertThat(order).containsExactly("c");
    lock.release();
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.waiterCount()).isZero();
  }

  @Test
  void withLockReleasesAfterTheBodySucceeds() {
    // asyncio: test_context_manager
    int value = loop.call(() -> lock.withLock(() -> {
      assertThat(lock.isLocked()).isTrue();
      return Aio.sleep(Duration.ofMillis(1), 42);
    }));
    assertThat(value).isEqualTo(42);
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void withLockReleasesWhenTheBodyFailsOrThrows() {
    IOException io = new IOException("io");
    Promise<Object> failed = loop.onLoop(() -> lock.withLock(() -> Promise.failed(io)));
    assertThatThrownBy(() -> failed.join(TestLoop.WAIT)).hasCause(io);
    assertThat(lock.isLocked()).isFalse();

    Promise<Object> thrown = loop.onLoop(() -> lock.withLock(() -> {
      throw new IllegalArgumentException("thrown");
    }));
    assertThatThrownBy(() -> thrown.join(TestLoop.WAIT)).hasMessage("thrown");
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void withLockReleasesWhenCancelledDuringTheBody() {
    Task<Void> task = loop.start(() -> lock.withLock(() -> Aio.sleep(Duration.ofSeconds(30))));
    loop.runBriefly();
    assertThat(lock.isLocked()).isTrue();
    task.cancel();
    assertThatThrownBy(() -> task.join(TestLoop.WAIT)).isInstanceOf(CancelledException.class);
    assertThat(lock.isLocked()).isFalse();
  }

  /** Holds the lock, then starts a task whose withLock body records that it ran. */
  private Task<Object> withLockWaitingBehindUs(AtomicBoolean ran) {
    lock.acquire().join();
    Task<Object> task = loop.start(() -> lock.withLock(() -> {
      ran.set(true);
      return Promise.completed(null);
    }));
    loop.runBriefly();
    return task;
  }

  @Test
  void withLockCancelledWhileWaitingNeverRunsTheBody() {
    AtomicBoolean ran = new AtomicBoolean();
    Task<Object> task = withLockWaitingBehindUs(ran);
    task.cancel();
    assertThatThrownBy(() -> task.join(TestLoop.WAIT)).isInstanceOf(CancelledException.class);
    lock.release();
    loop.runBriefly();
    assertThat(ran).isFalse();
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.waiterCount()).isZero();
  }

  @Test
  void withLockCancelledAfterTheLockWasHandedOverReleasesIt() {
    AtomicBoolean ran = new AtomicBoolean();
    Task<Object> task = withLockWaitingBehindUs(ran);
    loop.call(() -> {
      TestLoop.onAnotherThread(lock::release);
      task.cancel();
      return Promise.completed(null);
    });
    assertThatThrownBy(() -> task.join(TestLoop.WAIT)).isInstanceOf(CancelledException.class);
    assertThat(ran).isFalse();
    assertThat(lock.isLocked()).isFalse();
  }

  @Test
  void aPlainThreadCanWaitForTheLock() {
    lock.acquire().join();
    Promise<Void> waiting = lock.acquire(); // off every loop: a promise owned by no loop
    assertThat(waiting.isDone()).isFalse();
    loop.call(() -> {
      lock.release();
      return Promise.completed(null);
    });
    waiting.join(TestLoop.WAIT);
    assertThat(lock.isLocked()).isTrue();
  }
}
