package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GatherTest {
  private final TestLoop t = new TestLoop();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void valuesComeInArgumentOrderNotCompletionOrder() {
    // asyncio: a, b, c; b=1, a=2, c=3 => [2, 1, 3]; pending until the last child finishes
    CompletablePromise<Integer> a = t.loop.newPromise();
    CompletablePromise<Integer> b = t.loop.newPromise();
    CompletablePromise<Integer> c = t.loop.newPromise();
    Promise<List<Integer>> all = t.on(() -> Aio.gather(a, b, c));
    b.complete(1);
    a.complete(2);
    t.runBriefly();
    assertThat(all.isDone()).isFalse();
    c.complete(3);
    assertThat(TestLoop.await(all)).containsExactly(2, 1, 3);
  }

  @Test
  void firstFailureWinsWhileTheOthersKeepRunningAndTheirLateFailuresAreNotReported() {
    // asyncio test_one_exception: c, d, e are not cancelled; later outcomes change nothing
    IllegalStateException boom = new IllegalStateException("boom");
    CompletablePromise<Integer> a = t.loop.newPromise();
    CompletablePromise<Integer> b = t.loop.newPromise();
    Task<Integer> c = t.on(() -> Aio.createTask(() -> Aio.sleep(Duration.ofMillis(50), 3)));
    Task<Integer> d = t.on(() -> Aio.createTask(() -> Aio.sleep(Duration.ofMillis(50)).thenApply(x -> {
      throw new IllegalArgumentException("late");
    })));
    Promise<List<Integer>> all = t.on(() -> Aio.gather(List.of(a, b, c, d)));
    a.complete(1);
    b.fail(boom);
    TestLoop.settle(all);
    assertThat(all.state()).isEqualTo(Promise.State.FAILED);
    assertThat(all.exception()).isSameAs(boom);
    assertThat(c.isCancelled()).isFalse();
    assertThat(TestLoop.await(c)).isEqualTo(3);
    TestLoop.settle(d);
    assertThat(d.isFailed()).isTrue();
    t.close(); // reports never-retrieved task failures
    assertThat(t.errors()).isEmpty();
  }

  @Test
  void aCancelledChildFailsTheGatherWithCancelledExceptionWithoutCancellingSiblings() {
    // asyncio: outer.exception() is a CancelledError, outer.cancelled() is False
    CompletablePromise<Integer> a = t.loop.newPromise();
    CompletablePromise<Integer> b = t.loop.newPromise();
    Promise<List<Integer>> all = t.on(() -> Aio.gather(a, b));
    a.cancel("child");
    TestLoop.settle(all);
    assertThat(all.state()).isEqualTo(Promise.State.FAILED);
    assertThat(all.isCancelled()).isFalse();
    assertThat(all.exception()).isInstanceOf(CancelledException.class).hasMessage("child");
    assertThat(b.isDone()).isFalse();
  }

  @Test
  void cancellingTheGatherCancelsEveryUnfinishedChildAndEndsCancelled() {
    // asyncio test_cancel_gather: outer.cancel() cancels the children
    CompletablePromise<Integer> a = t.loop.newPromise();
    CompletablePromise<Integer> b = t.loop.newPromise();
    a.complete(1);
    Task<Integer> c = t.on(() -> Aio.createTask(() -> Aio.sleep(Duration.ofSeconds(10), 3)));
    Promise<List<Integer>> all = t.on(() -> Aio.gather(a, b, c));
    assertThat(t.on(() -> all.cancel("stop"))).isTrue();
    TestLoop.settle(all);
    assertThat(all.state()).isEqualTo(Promise.State.CANCELLED);
    assertThatThrownBy(all::result).isInstanceOf(CancelledException.class);
    assertThat(b.isCancelled()).isTrue();
    TestLoop.settle(c);
    assertThat(c.isCancelled()).isTrue();
  }

  @Test
  void aTaskAwaitingAGatherIsCancelledWithTheCancelMessage() {
    // asyncio test_cancel_gather_2: qwe.cancel('my message') => CancelledError('my message') through gather
    Task<List<Object>> task = t.on(() -> Aio.createTask(() -> Aio.gather(Aio.sleep(Duration.ofSeconds(10)))));
    t.runBriefly();
    task.cancel("my message");
    TestLoop.settle(task);
    assertThat(task.isCancelled()).isTrue();
    assertThatThrownBy(task::result).isInstanceOf(CancelledException.class).hasMessage("my message");
  }

  @Test
  void cancellingAGatherSettledEndsCancelledEvenThoughItCollectsOutcomes() {
    // asyncio bpo-32684: return_exceptions=True still raises CancelledError when the gather is cancelled
    CompletablePromise<Integer> a = t.loop.newPromise();
    Promise<List<Outcome<Integer>>> all = t.on(() -> Aio.gatherSettled(List.of(a)));
    assertThat(all.cancel()).isTrue();
    TestLoop.settle(all);
    assertThat(all.isCancelled()).isTrue();
    assertThat(a.isCancelled()).isTrue();
  }

  @Test
  void cancelAfterTheGatherIsDoneReturnsFalseAndCancelsNothing() {
    // asyncio: after the first exception, outer.cancel() is False and the others keep running
    CompletablePromise<Integer> a = t.loop.newPromise();
    CompletablePromise<Integer> b = t.loop.newPromise();
    Promise<List<Integer>> all = t.on(() -> Aio.gather(a, b));
    a.fail(new IllegalStateException("x"));
    TestLoop.settle(all);
    assertThat(all.cancel()).isFalse();
    assertThat(b.isCancelled()).isFalse();
  }

  @Test
  void cancellingFromTheLastChildsDoneCallbackIsTooLate() {
    // asyncio test_cancel_gather_1 (issue 26923): cancel() from the child's done callback is False, result [42]
    AtomicReference<Boolean> cancelled = new AtomicReference<>();
    CompletablePromise<Integer> child = t.loop.newPromise();
    Promise<List<Integer>> all = t.on(() -> {
      Promise<List<Integer>> g = Aio.gather(child);
      child.addDoneCallback(p -> cancelled.set(g.cancel()));
      return g;
    });
    child.complete(42);
    assertThat(TestLoop.await(all)).containsExactly(42);
    t.runBriefly();
    assertThat(cancelled.get()).isFalse();
  }

  @Test
  void gatherOfNothingIsAnAlreadyCompletedEmptyList() {
    // asyncio: gather() is a done future with result []
    Promise<List<Object>> all = t.on(() -> Aio.gather(List.of()));
    assertThat(all.isDone()).isTrue();
    assertThat(all.result()).isEmpty();
  }

  @Test
  void aPromiseGivenTwiceIsAwaitedOnceAndAppearsTwice() {
    // asyncio: gather(f, f) has one child and result [x, x]
    CompletablePromise<String> f = t.loop.newPromise();
    Promise<List<String>> all = t.on(() -> Aio.gather(f, f));
    f.complete("x");
    assertThat(TestLoop.await(all)).containsExactly("x", "x");
  }

  @Test
  void nullValuesArePassedThrough() {
    Promise<List<Object>> all = t.on(() -> Aio.gather(Promise.completed(null), Promise.completed("y")));
    assertThat(TestLoop.await(all)).containsExactly(null, "y");
  }

  @Test
  void gatherSettledHoldsEveryOutcomeInArgumentOrder() {
    // asyncio return_exceptions=True: exceptions in place, a cancelled child as a CancelledError with its message
    IllegalStateException boom = new IllegalStateException("boom");
    CompletablePromise<Integer> a = t.loop.newPromise();
    CompletablePromise<Integer> b = t.loop.newPromise();
    CompletablePromise<Integer> c = t.loop.newPromise();
    Promise<List<Outcome<Integer>>> all = t.on(() -> Aio.gatherSettled(List.of(a, b, c)));
    c.complete(3);
    b.cancel("why");
    a.fail(boom);
    List<Outcome<Integer>> outcomes = TestLoop.await(all);
    assertThat(outcomes.get(0).isSuccess()).isFalse();
    assertThat(outcomes.get(0).error()).isSameAs(boom);
    assertThatThrownBy(() -> outcomes.get(0).value()).isInstanceOf(IllegalStateException.class);
    assertThat(outcomes.get(1).error()).isInstanceOf(CancelledException.class).hasMessage("why");
    assertThat(outcomes.get(2).value()).isEqualTo(3);
    assertThat(all.isSuccess()).isTrue();
  }

  @Test
  void childrenSettledOnAnotherThreadResumeTheGatherOnItsLoopThread() throws Exception {
    CompletablePromise<Integer> a = t.loop.newPromise();
    Promise<Boolean> onLoop = t.on(() -> Aio.gather(a).thenApply(v -> Loop.currentIfAny().isPresent()));
    Thread other = new Thread(() -> a.complete(1));
    other.start();
    other.join();
    assertThat(TestLoop.await(onLoop)).isTrue();
  }

  @Test
  void gatherOffEveryLoopThreadIsRefused() {
    assertThatThrownBy(() -> Aio.gather(Promise.completed(1)))
        .isInstanceOf(IllegalStateException.class).hasMessage("no running event loop");
  }
}
