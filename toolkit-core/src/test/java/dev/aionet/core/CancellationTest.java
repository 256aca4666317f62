package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cancellation travels inward, to exactly the promise awaited now. */
@Timeout(30)
class CancellationTest {
  private Loop loop;

  @BeforeEach
  void createLoop() {
    loop = Loop.create();
  }

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  @Test
  void cancellingATaskCancelsExactlyTheLeafItWaitsOnNow() {
    CompletablePromise<String> first = loop.newPromise();
    CompletablePromise<String> second = loop.newPromise();
    CompletablePromise<String> unrelated = loop.newPromise();
    Task<String> t = loop.submit(() -> first.thenCompose(x -> second));
    first.complete("go");
    // wait until the task waits on `second`
    loop.submit(() -> Aio.sleep(Duration.ofMillis(5))).join();
    assertThat(t.cancel("stop")).isTrue();
    assertThatThrownBy(t::join).isInstanceOf(CancelledException.class).hasMessage("stop");
    assertThat(second.isCancelled()).isTrue();
    assertThat(first.isSuccess()).isTrue();
    assertThat(unrelated.isDone()).isFalse();
  }

  @Test
  void cancellingADerivedPromiseCancelsItsSourceAndSkipsTheFunction() {
    CompletablePromise<String> source = loop.newPromise();
    List<String> ran = new ArrayList<>();
    Promise<String> derived = source.thenApply(s -> {
      ran.add(s);
      return s;
    });
    assertThat(derived.cancel("why")).isTrue();
    assertThatThrownBy(derived::join).isInstanceOf(CancelledException.class).hasMessage("why");
    assertThat(source.isCancelled()).isTrue();
    assertThat(ran).isEmpty();
  }

  @Test
  void aChainThatRecoversWithHandleIsNotCancelled() {
    Promise<String> recovered = loop.runUntilComplete(() -> {
      Promise<String> p = Aio.sleep(Duration.ofSeconds(10), "slow").handle((v, e) -> "recovered");
      p.cancel();
      return Promise.completed(p);
    });
    assertThat(recovered.join()).isEqualTo("recovered");
    assertThat(recovered.isCancelled()).isFalse();
  }

  @Test
  void aCancelArrivingAfterTheSourceSettledButBeforeTheContinuationRanStillCancels() {
    // asyncio: _must_cancel makes the next step raise CancelledError even if the awaited future is done
    Thread[] loopThread = new Thread[1];
    Promise<Object> outcome = loop.runUntilComplete(() -> {
      loopThread[0] = Thread.currentThread();
      Loop other = Loop.current();
      CompletablePromise<String> source = CompletablePromise.create();
      // owned by this loop thread; settled from a foreign thread: the continuation hops here later
      Promise<Object> derived = source.handle((v, e) -> e != null ? (Object) e : v);
      Thread foreign = new Thread(() -> source.complete("value"));
      foreign.start();
      foreign.join();
      derived.cancel("late");
      return Promise.completed(derived);
    });
    assertThat(outcome.join()).isInstanceOf(CancelledException.class);
  }

  @Test
  void aComposeCancelledWhileItsFunctionRunsEndsCancelledThoughTheFunctionReturnedASettledPromise() {
    // asyncio: a task cancelled during its step is cancelled at the next one, even if what the
    // step awaits is done already
    Promise<Object> outcome = loop.runUntilComplete(() -> {
      CompletablePromise<String> source = CompletablePromise.create();
      List<Promise<String>> self = new ArrayList<>();
      Promise<String> derived = source.thenCompose(v -> {
        self.get(0).cancel("during the step");
        return Promise.completed(v + "!");
      });
      self.add(derived);
      source.complete("value");
      return Promise.completed(derived.handle((v, e) -> e != null ? (Object) e : v));
    });
    assertThat(outcome.join()).isInstanceOf(CancelledException.class).hasFieldOrPropertyWithValue("message", "during the step");
  }

  @Test
  void aComposeWhoseFunctionReturnsASettledPromiseSettlesLikeItBeforeTheSourceSettlingReturns() {
    List<String> order = new ArrayList<>();
    loop.runUntilComplete(() -> {
      CompletablePromise<String> source = CompletablePromise.create();
      Promise<String> derived = source.thenCompose(v -> Promise.completed(v + "!"));
      derived.thenAccept(v -> order.add("derived " + v));
      source.complete("value");
      order.add("complete returned");
      return Promise.completed(null);
    });
    assertThat(order).containsExactly("derived value!", "complete returned");
  }

  @Test
  void cancellingTheSameTaskTwiceKeepsTheFirstMessageReachingTheLeaf() {
    Task<Void> t = loop.submit(() -> Aio.sleep(Duration.ofSeconds(10)));
    loop.submit(() -> Aio.sleep(Duration.ofMillis(5))).join();
    t.cancel("first");
    t.cancel("second");
    assertThatThrownBy(t::join).isInstanceOf(CancelledException.class).hasMessage("first");
  }

  @Test
  void cancellationTravelsAcrossLoops() {
    try (Loop other = Loop.create()) {
      CompletablePromise<String> remote = other.newPromise();
      Task<String> t = loop.submit(() -> remote.thenApply(s -> s + "!"));
      loop.submit(() -> Aio.sleep(Duration.ofMillis(5))).join();
      t.cancel();
      assertThatThrownBy(t::join).isInstanceOf(CancelledException.class);
      assertThat(remote.isCancelled()).isTrue();
    }
  }

  @Test
  void aCancelledTaskAwaitedByAnotherTaskPropagatesCancellation() {
    Task<String> outer = loop.submit(() -> {
      Task<String> inner = Aio.createTask(() -> Aio.sleep(Duration.ofSeconds(10), "x"));
      return Aio.sleep(Duration.ofMillis(5)).thenCompose(x -> {
        inner.cancel("inner stop");
        return inner;
      });
    });
    assertThatThrownBy(outer::join).isInstanceOf(CancelledException.class).hasMessage("inner stop");
    assertThat(outer.isCancelled()).isTrue();
  }

  @Test
  void theNestingBoundIsInvisibleToACancelThatArrivesWhileAContinuationWaitsForTheNextTurn() {
    // 100 derivations: past 64 nested continuations the rest continue on the next turn. Logically
    // they ran when the head settled, so a cancel arriving in between must not drop the value.
    Promise<Integer> last = loop.runUntilComplete(() -> {
      CompletablePromise<Integer> head = CompletablePromise.create();
      Promise<Integer> p = head;
      for (int i = 0; i < 100; i++) {
        p = p.thenApply(x -> x + 1);
      }
      head.complete(0);
      p.cancel("too late: the value was already on its way");
      return Promise.completed(p);
    });
    assertThat(last.join()).isEqualTo(100);
  }
}
