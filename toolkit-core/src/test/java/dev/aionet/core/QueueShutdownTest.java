package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** asyncio 3.13 {@code Queue.shutdown}, for every kind of queue. */
@Timeout(30)
class QueueShutdownTest {
  private final TestLoop loop = new TestLoop();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  static Stream<Arguments> kinds() {
    IntFunction<AsyncQueue<Integer>> fifo = AsyncQueue::new;
    IntFunction<AsyncQueue<Integer>> lifo = AsyncLifoQueue::new;
    IntFunction<AsyncQueue<Integer>> priority = AsyncPriorityQueue::new;
    return Stream.of(Arguments.of("fifo", fifo), Arguments.of("lifo", lifo), Arguments.of("priority", priority));
  }

  /** A new queue holding the items 1..n. */
  private static AsyncQueue<Integer> holding(IntFunction<AsyncQueue<Integer>> create, int n) {
    AsyncQueue<Integer> q = create.apply(0);
    for (int i = 1; i <= n; i++) {
      q.putNowait(i);
    }
    return q;
  }

  private static void assertShutDown(Promise<?> promise) {
    assertThatThrownBy(() -> promise.join(TestLoop.WAIT)).isInstanceOf(QueueShutDownException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void laterPutsAreRefused(String kind, IntFunction<AsyncQueue<Integer>> create) {
    // asyncio: test_shutdown_empty / test_shutdown_nonempty
    AsyncQueue<Integer> q = create.apply(0);
    q.shutdown(false);
    assertThatThrownBy(() -> q.putNowait(1)).isInstanceOf(QueueShutDownException.class);
    assertShutDown(q.put(1));
    assertThatThrownBy(q::getNowait).isInstanceOf(QueueShutDownException.class);
    assertShutDown(q.get());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void queuedItemsCanStillBeReadThenGetsAreRefused(String kind, IntFunction<AsyncQueue<Integer>> create) {
    // asyncio: test_shutdown_nonempty: items already queued can still be read
    AsyncQueue<Integer> q = holding(create, 2);
    q.shutdown(false);
    assertThat(q.getNowait() + loop.call(q::get)).isEqualTo(3);
    assertThatThrownBy(q::getNowait).isInstanceOf(QueueShutDownException.class);
    assertShutDown(q.get());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void blockedPuttersAndGettersWakeWithQueueShutDown(String kind, IntFunction<AsyncQueue<Integer>> create) {
    // asyncio: test_shutdown_putter / test_shutdown_getter
    AsyncQueue<Integer> full = create.apply(1);
    full.putNowait(1);
    Task<Void> putter = loop.start(() -> full.put(2));
    AsyncQueue<Integer> empty = create.apply(1);
    Task<Integer> getter = loop.start(empty::get);
    loop.runBriefly();
    full.shutdown(false);
    empty.shutdown(false);
    assertShutDown(putter);
    assertShutDown(getter);
    assertThat(full.getNowait()).isEqualTo(1);
    assertThat(full.putterCount()).isZero();
    assertThat(empty.getterCount()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void joinFinishesNormallyOnceEveryItemIsDone(String kind, IntFunction<AsyncQueue<Integer>> create) {
    // asyncio: test_shutdown_join... (the final 3.13 text, python/cpython#141073)
    AsyncQueue<Integer> q = holding(create, 1);
    Task<Void> join = loop.start(q::join);
    loop.runBriefly();
    q.shutdown(false);
    loop.runBriefly();
    assertThat(join.isDone()).isFalse();
    q.getNowait();
    q.taskDone();
    join.join(TestLoop.WAIT);
    assertThat(join.isSuccess()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anImmediateShutdownDrainsTheQueueAndWakesJoin(String kind, IntFunction<AsyncQueue<Integer>> create) {
    // asyncio: test_shutdown_immediate
    AsyncQueue<Integer> q = holding(create, 3);
    Task<Void> join = loop.start(q::join);
    loop.runBriefly();
    q.shutdown(true);
    join.join(TestLoop.WAIT);
    assertThat(q.size()).isZero();
    assertThat(q.unfinishedTasks()).isZero();
    assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
    assertShutDown(q.get());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void anImmediateShutdownCountsOnlyTheDroppedItemsAsDone(String kind, IntFunction<AsyncQueue<Integer>> create) {
    // asyncio: test_shutdown_immediate_with_unfinished
    AsyncQueue<Integer> q = holding(create, 3);
    q.getNowait(); // taken, not yet done
    Task<Void> join = loop.start(q::join);
    q.shutdown(true);
    loop.runBriefly();
    assertThat(q.unfinishedTasks()).isEqualTo(1);
    assertThat(join.isDone()).isFalse();
    q.taskDone();
    join.join(TestLoop.WAIT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void aGetterWokenBeforeAnImmediateShutdownFailsWithQueueShutDown(String kind, IntFunction<AsyncQueue<Integer>> create) {
    AsyncQueue<Integer> q = create.apply(0);
    Task<Integer> getter = loop.start(q::get);
    loop.runBriefly();
    loop.call(() -> {
      TestLoop.onAnotherThread(() -> q.putNowait(1)); // promised to the getter, which has not resumed
      q.shutdown(true); // and drained before it could take it
      return Promise.completed(null);
    });
    assertShutDown(getter);
    assertThat(q.size()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void shutdownIsIdempotentAndOneWay(String kind, IntFunction<AsyncQueue<Integer>> create) {
    // asyncio: test_shutdown_repeated / shutdown(True) after shutdown(False)
    AsyncQueue<Integer> q = create.apply(2);
    q.putNowait(1);
    q.shutdown(false);
    q.shutdown(false);
    assertThat(q.size()).isEqualTo(1);
    q.shutdown(true);
    assertThat(q.size()).isZero();
    q.shutdown(false);
    assertThatThrownBy(() -> q.putNowait(2)).isInstanceOf(QueueShutDownException.class);
  }
}
