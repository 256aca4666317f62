package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class QueueTest {
  private final TestLoop loop = new TestLoop();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  @Test
  void getNowaitOnAnEmptyQueueAndPutNowaitOnAFullOneThrow() {
    // asyncio: test_nonblocking_get_exception / test_nonblocking_put_exception
    AsyncQueue<String> q = new AsyncQueue<>(1);
    assertThatThrownBy(q::getNowait).isInstanceOf(QueueEmptyException.class);
    q.putNowait("a");
    assertThat(q.isFull()).isTrue();
    assertThatThrownBy(() -> q.putNowait("b")).isInstanceOf(QueueFullException.class);
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.getNowait()).isEqualTo("a");
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void aQueueWithMaxsizeZeroOrLessIsNeverFull() {
    // asyncio: test_maxsize / "maxsize <= 0: unbounded"
    for (int maxsize : new int[] {0, -1}) {
      AsyncQueue<Integer> q = new AsyncQueue<>(maxsize);
      for (int i = 0; i < 1000; i++) {
        q.putNowait(i);
      }
      assertThat(q.isFull()).isFalse();
      assertThat(q.size()).isEqualTo(1000);
      assertThat(q.maxsize()).isEqualTo(maxsize);
    }
    assertThat(new AsyncQueue<>().maxsize()).isZero();
  }

  @Test
  void itemsComeOutInTheOrderTheyWentIn() {
    // asyncio: test_order
    AsyncQueue<Integer> q = new AsyncQueue<>();
    for (int i : List.of(1, 3, 2)) {
      q.putNowait(i);
    }
    assertThat(List.of(q.getNowait(), q.getNowait(), q.getNowait())).containsExactly(1, 3, 2);
  }

  @Test
  void putWaitsWhileTheQueueIsFull() {
    // asyncio: test_blocking_put_wait
    AsyncQueue<String> q = new AsyncQueue<>(1);
    q.putNowait("a");
    Task<Void> put = loop.start(() -> q.put("b"));
    loop.runBriefly();
    assertThat(put.isDone()).isFalse();
    assertThat(q.putterCount()).isEqualTo(1);
    assertThat(loop.call(q::get)).isEqualTo("a");
    put.join(TestLoop.WAIT);
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.getNowait()).isEqualTo("b");
  }

  @Test
  void waitingPuttersAreServedFirstComeFirstServed() {
    // asyncio: test_get_with_waiting_putters
    AsyncQueue<String> q = new AsyncQueue<>(1);
    q.putNowait("a");
    Task<Void> b = loop.start(() -> q.put("b"));
    loop.runBriefly();
    Task<Void> c = loop.start(() -> q.put("c"));
    loop.runBriefly();
    assertThat(loop.call(q::get)).isEqualTo("a");
    assertThat(loop.call(q::get)).isEqualTo("b");
    assertThat(loop.call(q::get)).isEqualTo("c");
    assertThat(List.of(b, c)).allMatch(Promise::isSuccess);
  }

  @Test
  void waitingGettersAreServedFirstComeFirstServed() {
    // asyncio: test_blocking_get_wait / test_get_with_putters
    AsyncQueue<Integer> q = new AsyncQueue<>();
    Task<Integer> t1 = loop.start(q::get);
    loop.runBriefly();
    Task<Integer> t2 = loop.start(q::get);
    loop.runBriefly();
    assertThat(q.getterCount()).isEqualTo(2);
    q.putNowait(1);
    q.putNowait(2);
    assertThat(t1.join(TestLoop.WAIT)).isEqualTo(1);
    assertThat(t2.join(TestLoop.WAIT)).isEqualTo(2);
  }

  @Test
  void aCancelledGetterDoesNotLoseAnItem() {
    // asyncio: test_cancelled_getters_not_being_held_in_self_getters...
    AsyncQueue<String> q = new AsyncQueue<>();
    Task<String> t1 = loop.start(q::get);
    Task<String> t2 = loop.start(q::get);
    loop.runBriefly();
    t1.cancel();
    loop.runBriefly();
    q.putNowait("a");
    assertThat(t2.join(TestLoop.WAIT)).isEqualTo("a");
    assertThat(t1.isCancelled()).isTrue();
  }

  @Test
  void aGetterCancelledAfterItWasWokenLeavesItsItemToTheNextGetter() {
    // asyncio: test_cancelled_get / "woken by put_nowait but cancelled: the item stays queued"
    AsyncQueue<String> q = new AsyncQueue<>();
    Task<String> t1 = loop.start(q::get);
    Task<String> t2 = loop.start(q::get);
    loop.runBriefly();
    loop.call(() -> {
      TestLoop.onAnotherThread(() -> q.putNowait("a")); // promised to t1, which has not resumed
      t1.cancel();
      return Promise.completed(null);
    });
    assertThat(t2.join(TestLoop.WAIT)).isEqualTo("a");
    assertThatThrownBy(() -> t1.join(TestLoop.WAIT)).isInstanceOf(CancelledException.class);
    assertThat(q.getterCount()).isZero();
  }

  @Test
  void aGetterCancelledAfterItWasWokenLeavesItsItemInTheQueue() {
    AsyncQueue<String> q = new AsyncQueue<>();
    Task<String> t1 = loop.start(q::get);
    loop.runBriefly();
    loop.call(() -> {
      TestLoop.onAnotherThread(() -> q.putNowait("a"));
      t1.cancel();
      return Promise.completed(null);
    });
    loop.runBriefly();
    assertThat(t1.isCancelled()).isTrue();
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.getNowait()).isEqualTo("a");
  }

  @Test
  void aCancelledPutInsertsNothing() {
    // asyncio: test_cancelled_puts_not_being_held_in_self_putters
    AsyncQueue<String> q = new AsyncQueue<>(1);
    q.putNowait("x");
    Task<Void> put = loop.start(() -> q.put("a"));
    loop.runBriefly();
    put.cancel();
    loop.runBriefly();
    assertThat(put.isCancelled()).isTrue();
    assertThat(q.putterCount()).isZero();
    assertThat(q.getNowait()).isEqualTo("x");
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void aPutterCancelledAfterItWasWokenPassesTheSlotOnAndInsertsNothing() {
    // asyncio: test_why_are_putters_waiting / "a free slot is passed to the next putter"
    AsyncQueue<String> q = new AsyncQueue<>(1);
    q.putNowait("x");
    Task<Void> t1 = loop.start(() -> q.put("a"));
    Task<Void> t2 = loop.start(() -> q.put("b"));
    loop.runBriefly();
    String got = loop.call(() -> {
      String[] item = new String[1];
      TestLoop.onAnotherThread(() -> item[0] = q.getNowait()); // frees the slot for t1
      t1.cancel();
      return Promise.completed(item[0]);
    });
    assertThat(got).isEqualTo("x");
    t2.join(TestLoop.WAIT);
    assertThatThrownBy(() -> t1.join(TestLoop.WAIT)).isInstanceOf(CancelledException.class);
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.getNowait()).isEqualTo("b");
    assertThat(q.putterCount()).isZero();
  }

  @Test
  void getsGivenUpOnAfterATimeoutLeaveNoWaiterBehind() {
    // asyncio: test_cancelled_getters_not_being_held_in_self_getters: wait_for(q.get(), 0.1)
    AsyncQueue<String> q = new AsyncQueue<>();
    for (int i = 0; i < 10; i++) {
      Throwable outcome = loop.call(() -> {
        Promise<String> get = q.get();
        return Aio.sleep(Duration.ofMillis(5)).thenCompose(v -> {
          get.cancel();
          return get.handle((item, error) -> error);
        });
      });
      assertThat(outcome).isInstanceOf(CancelledException.class);
    }
    assertThat(q.getterCount()).isZero();
    q.putNowait("a");
    assertThat(q.size()).isEqualTo(1);
  }

  @Test
  void joinWaitsUntilEveryItemIsMarkedDone() {
    // asyncio: test_task_done / test_join_empty_queue
    AsyncQueue<Integer> q = new AsyncQueue<>();
    assertThat(q.join().isSuccess()).isTrue();
    q.putNowait(1);
    q.putNowait(2);
    Task<Void> join = loop.start(q::join);
    loop.runBriefly();
    assertThat(q.getNowait()).isEqualTo(1);
    q.taskDone();
    loop.runBriefly();
    assertThat(join.isDone()).isFalse();
    assertThat(q.getNowait()).isEqualTo(2);
    q.taskDone();
    join.join(TestLoop.WAIT);
    assertThat(q.joinerCount()).isZero();
    assertThat(q.join().isSuccess()).isTrue();
  }

  @Test
  void taskDoneCalledTooOftenThrows() {
    // asyncio: test_task_done_underflow: ValueError('task_done() called too many times')
    AsyncQueue<Integer> q = new AsyncQueue<>();
    assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class)
        .hasMessage("taskDone() called too many times");
    q.putNowait(1);
    q.getNowait();
    q.taskDone();
    assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCancelledJoinIsWithdrawn() {
    AsyncQueue<Integer> q = new AsyncQueue<>();
    q.putNowait(1);
    Task<Void> join = loop.start(q::join);
    loop.runBriefly();
    assertThat(q.joinerCount()).isEqualTo(1);
    join.cancel();
    assertThatThrownBy(() -> join.join(TestLoop.WAIT)).isInstanceOf(CancelledException.class);
    assertThat(q.joinerCount()).isZero();
  }

  @Test
  void aPlainThreadCanConsumeWhatTasksProduce() {
    AsyncQueue<Integer> q = new AsyncQueue<>(2);
    Promise<Integer> got = q.get(); // off every loop: owned by no loop
    loop.start(() -> q.put(1).thenCompose(v -> q.put(2)).thenCompose(v -> q.put(3)));
    assertThat(got.join(TestLoop.WAIT)).isEqualTo(1);
    assertThat(q.get().join(TestLoop.WAIT)).isEqualTo(2);
    assertThat(q.get().join(TestLoop.WAIT)).isEqualTo(3);
  }

  @Test
  void nullItemsAreRefused() {
    AsyncQueue<String> q = new AsyncQueue<>();
    assertThatThrownBy(() -> q.putNowait(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aProducerAndAConsumerTaskHandOverThroughABoundedQueue() {
    // asyncio: test_why_are_getters_waiting-style producer/consumer inside asyncio.run
    List<String> consumed = Aio.run(() -> {
      AsyncQueue<String> q = new AsyncQueue<>(1);
      List<String> seen = new java.util.ArrayList<>();
      Task<Void> consumer = Aio.createTask(() -> q.get()
          .thenCompose(a -> { seen.add(a); q.taskDone(); return q.get(); })
          .thenCompose(b -> { seen.add(b); q.taskDone(); return q.get(); })
          .thenAccept(c -> { seen.add(c); q.taskDone(); })
          .thenApply(c -> null));
      return q.put("a").thenCompose(v -> q.put("b")).thenCompose(v -> q.put("c"))
          .thenCompose(v -> q.join())
          .thenCompose(v -> consumer)
          .thenApply(v -> seen);
    });
    assertThat(consumed).containsExactly("a", "b", "c");
  }
}
