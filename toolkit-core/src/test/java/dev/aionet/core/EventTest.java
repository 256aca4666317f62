package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EventTest {
  private final TestLoop loop = new TestLoop();
  private final AsyncEvent event = new AsyncEvent();
  private final List<Integer> woken = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  private Task<Void> waiter(int id) {
    return loop.start(() -> event.await().thenAccept(v -> woken.add(id)));
  }

  @Test
  void awaitOnASetEventSucceedsAtOnce() {
    // asyncio: test_wait_on_set
    event.set();
    assertThat(event.isSet()).isTrue();
    assertThat(event.await().isSuccess()).isTrue();
  }

  @Test
  void setWakesEveryWaiterInOrder() {
    // asyncio: test_wait
    Task<Void> t1 = waiter(1);
    Task<Void> t2 = waiter(2);
    Task<Void> t3 = waiter(3);
    loop.runBriefly();
    assertThat(woken).isEmpty();
    assertThat(event.waiterCount()).isEqualTo(3);
    event.set();
    loop.runBriefly();
    assertThat(woken).containsExactly(1, 2, 3);
    assertThat(List.of(t1, t2, t3)).allMatch(Promise::isSuccess);
    assertThat(event.waiterCount()).isZero();
  }

  @Test
  void clearMakesLaterWaitsBlock() {
    // asyncio: test_clear / test_clear_with_waiters
    event.set();
    event.clear();
    assertThat(event.isSet()).isFalse();
    Task<Void> t = waiter(1);
    loop.runBriefly();
    assertThat(t.isDone()).isFalse();
    event.set();
    event.clear();
    event.set(); // setting twice, or again after a clear, wakes nobody twice
    loop.runBriefly();
    assertThat(woken).containsExactly(1);
  }

  @Test
  void aCancelledWaiterIsRemoved() {
    // asyncio: test_wait_cancel
    Task<Void> t = waiter(1);
    loop.runBriefly();
    t.cancel();
    assertThatThrownBy(() -> t.join(TestLoop.WAIT)).isInstanceOf(CancelledException.class);
    assertThat(event.waiterCount()).isZero();
    event.set();
    loop.runBriefly();
    assertThat(woken).isEmpty();
  }

  @Test
  void aPlainThreadCanWaitForTheEvent() {
    Promise<Void> waiting = event.await();
    loop.call(() -> {
      event.set();
      return Promise.completed(null);
    });
    waiting.join(TestLoop.WAIT);
    assertThat(waiting.isSuccess()).isTrue();
  }
}
