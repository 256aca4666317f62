package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AsCompletedTest {
  private final TestLoop t = new TestLoop();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void promisesComeOutInTheOrderTheySettle() {
    // asyncio test_as_completed: tasks finishing at 0.3, 0.1, 0.2 come out 0.1, 0.2, 0.3
    List<Integer> order = TestLoop.await(t.loop.submit(() -> {
      List<Task<Integer>> tasks = List.of(
          Aio.createTask(() -> Aio.sleep(Duration.ofMillis(90), 3)),
          Aio.createTask(() -> Aio.sleep(Duration.ofMillis(10), 1)),
          Aio.createTask(() -> Aio.sleep(Duration.ofMillis(50), 2)));
      Iterator<Promise<Integer>> it = Aio.asCompleted(tasks);
      List<Integer> seen = new ArrayList<>();
      return Aio.repeatWhile(() -> it.next().thenApply(v -> {
        seen.add(v);
        return it.hasNext();
      })).thenApply(v -> seen);
    }));
    assertThat(order).containsExactly(1, 2, 3);
  }

  @Test
  void duplicatesAreCollapsed() {
    // asyncio test_as_completed_duplicate_coroutines: set(fs)
    CompletablePromise<String> a = t.loop.newPromise();
    Iterator<Promise<String>> it = t.on(() -> Aio.asCompleted(List.of(a, a, a)));
    Promise<String> first = t.on(it::next);
    assertThat(it.hasNext()).isFalse();
    a.complete("a");
    assertThat(TestLoop.await(first)).isEqualTo("a");
    assertThatThrownBy(() -> t.on(it::next)).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void eachHandedOutPromiseSettlesLikeTheNextOriginalIncludingFailures() {
    IllegalStateException boom = new IllegalStateException("boom");
    CompletablePromise<String> a = t.loop.newPromise();
    CompletablePromise<String> b = t.loop.newPromise();
    Iterator<Promise<String>> it = t.on(() -> Aio.asCompleted(List.of(a, b)));
    Promise<String> first = t.on(it::next);
    Promise<String> second = t.on(it::next);
    b.fail(boom);
    a.complete("a");
    TestLoop.settle(first);
    assertThat(first.exception()).isSameAs(boom);
    assertThat(TestLoop.await(second)).isEqualTo("a");
    assertThat(first).isNotSameAs(b);
  }

  @Test
  void withATimeoutTheRestFailWithAsyncTimeoutAndTheOriginalsAreNotCancelled() {
    // asyncio test_as_completed_with_timeout: TimeoutError for the rest, originals left running
    CompletablePromise<String> fast = t.loop.newPromise();
    CompletablePromise<String> slow = t.loop.newPromise();
    CompletablePromise<String> slower = t.loop.newPromise();
    Iterator<Promise<String>> it = t.on(() -> Aio.asCompleted(List.of(slow, fast, slower), Duration.ofMillis(50)));
    fast.complete("fast");
    t.runBriefly();
    Promise<String> first = t.on(it::next);
    Promise<String> second = t.on(it::next);
    assertThat(TestLoop.await(first)).isEqualTo("fast");
    assertThatThrownBy(() -> TestLoop.await(second)).isInstanceOf(AsyncTimeoutException.class);
    Promise<String> third = t.on(it::next);
    assertThatThrownBy(() -> TestLoop.await(third)).isInstanceOf(AsyncTimeoutException.class);
    assertThat(it.hasNext()).isFalse();
    assertThat(slow.isDone()).isFalse();
    assertThat(slower.isDone()).isFalse();
  }

  @Test
  void cancellingAHandedOutPromiseLosesNoOriginal() {
    // asyncio: a cancelled Queue.get() loses no item; the next waiter gets it
    CompletablePromise<String> a = t.loop.newPromise();
    CompletablePromise<String> b = t.loop.newPromise();
    Iterator<Promise<String>> it = t.on(() -> Aio.asCompleted(List.of(a, b)));
    Promise<String> first = t.on(it::next);
    Promise<String> second = t.on(it::next);
    t.run(first::cancel);
    a.complete("a");
    assertThat(TestLoop.await(second)).isEqualTo("a");
    assertThat(first.isCancelled()).isTrue();
  }

  @Test
  void theIteratorIsConfinedToItsLoopThread() {
    Iterator<Promise<String>> it = t.on(() -> Aio.asCompleted(List.of(Promise.completed("x"))));
    assertThatThrownBy(it::next).isInstanceOf(IllegalStateException.class);
  }
}
