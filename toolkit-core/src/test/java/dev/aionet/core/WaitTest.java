package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WaitTest {
  private final TestLoop t = new TestLoop();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void anEmptyCollectionIsRefused() {
    // asyncio test_wait_invalid_args: ValueError('Set of coroutines/Futures is empty.')
    assertThatThrownBy(() -> t.on(() -> Aio.wait(List.<Promise<Integer>>of(), ReturnWhen.ALL_COMPLETED)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
  }

  @Test
  void allCompletedWaitsForEveryPromiseAndCountsDuplicatesOnce() {
    // asyncio test_wait: done == {a, b}, pending == set()
    CompletablePromise<Integer> a = t.loop.newPromise();
    CompletablePromise<Integer> b = t.loop.newPromise();
    Promise<WaitResult<Integer>> w = t.on(() -> Aio.wait(List.of(a, b, a), ReturnWhen.ALL_COMPLETED));
    a.complete(1);
    t.runBriefly();
    assertThat(w.isDone()).isFalse();
    b.fail(new IllegalStateException("b"));
    WaitResult<Integer> r = TestLoop.await(w);
    assertThat(r.done()).containsExactlyInAnyOrder(a, b);
    assertThat(r.pending()).isEmpty();
  }

  @Test
  void aTimeoutCompletesWithWhatIsDoneAndCancelsNothing() {
    // asyncio test_wait_with_timeout: no TimeoutError, the slow task is pending and not cancelled
    Task<String> slow = t.on(() -> Aio.createTask(() -> Aio.sleep(Duration.ofSeconds(10), "slow")));
    Task<String> fast = t.on(() -> Aio.createTask(() -> Aio.sleep(Duration.ofMillis(5), "fast")));
    Promise<WaitResult<String>> w = t.on(() -> Aio.wait(List.of(slow, fast), ReturnWhen.ALL_COMPLETED,
        Duration.ofMillis(100)));
    WaitResult<String> r = TestLoop.await(w);
    assertThat(r.done()).containsExactly(fast);
    assertThat(r.pending()).containsExactly(slow);
    assertThat(slow.isDone()).isFalse();
  }

  @Test
  void firstCompletedReturnsAsSoonAsOneIsDone() {
    // asyncio test_wait_first_completed
    CompletablePromise<Integer> a = t.loop.newPromise();
    CompletablePromise<Integer> b = t.loop.newPromise();
    Promise<WaitResult<Integer>> w = t.on(() -> Aio.wait(List.of(a, b), ReturnWhen.FIRST_COMPLETED));
    b.complete(2);
    WaitResult<Integer> r = TestLoop.await(w);
    assertThat(r.done()).containsExactly(b);
    assertThat(r.pending()).containsExactly(a);
    assertThat(a.isCancelled()).isFalse();
  }

  @Test
  void firstCompletedIncludesOthersThatAreAlreadyDone() {
    // asyncio test_wait_really_done: others done by then also appear in done
    Promise<Integer> done1 = t.on(() -> Promise.completed(1));
    Promise<Integer> done2 = t.on(() -> Promise.completed(2));
    CompletablePromise<Integer> pending = t.loop.newPromise();
    WaitResult<Integer> r = TestLoop.await(t.on(() -> Aio.wait(List.of(done1, done2, pending),
        ReturnWhen.FIRST_COMPLETED)));
    assertThat(r.done()).containsExactlyInAnyOrder(done1, done2);
    assertThat(r.pending()).containsExactly(pending);
  }

  @Test
  void firstExceptionReturnsOnAFailureButNotOnACancellation() {
    // asyncio: a cancelled future does not count as an exception (not f.cancelled() and f.exception())
    CompletablePromise<Integer> a = t.loop.newPromise();
    CompletablePromise<Integer> b = t.loop.newPromise();
    CompletablePromise<Integer> c = t.loop.newPromise();
    Promise<WaitResult<Integer>> w = t.on(() -> Aio.wait(List.of(a, b, c), ReturnWhen.FIRST_EXCEPTION));
    a.cancel();
    t.runBriefly();
    assertThat(w.isDone()).isFalse();
    b.fail(new IllegalStateException("b"));
    WaitResult<Integer> r = TestLoop.await(w);
    assertThat(r.done()).containsExactlyInAnyOrder(a, b);
    assertThat(r.pending()).containsExactly(c);
  }

  @Test
  void firstExceptionWithoutAnyFailureActsLikeAllCompleted() {
    // asyncio test_wait_first_exception_in_wait / no exception => ALL_COMPLETED
    CompletablePromise<Integer> a = t.loop.newPromise();
    CompletablePromise<Integer> b = t.loop.newPromise();
    Promise<WaitResult<Integer>> w = t.on(() -> Aio.wait(List.of(a, b), ReturnWhen.FIRST_EXCEPTION));
    a.complete(1);
    t.runBriefly();
    assertThat(w.isDone()).isFalse();
    b.complete(2);
    assertThat(TestLoop.await(w).done()).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void cancellingTheWaitCancelsNoneOfThePromises() {
    // asyncio: cancelling `await wait(...)` cancels only the waiter
    CompletablePromise<Integer> a = t.loop.newPromise();
    Promise<WaitResult<Integer>> w = t.on(() -> Aio.wait(List.of(a), ReturnWhen.ALL_COMPLETED, Duration.ofSeconds(10)));
    assertThat(w.cancel()).isTrue();
    assertThat(w.isCancelled()).isTrue();
    assertThat(a.isDone()).isFalse();
  }
}
