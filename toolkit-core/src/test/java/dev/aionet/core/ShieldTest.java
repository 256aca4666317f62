package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ShieldTest {
  private final TestLoop t = new TestLoop();

  @AfterEach
  void close() {
    t.close();
  }

  @Test
  void cancellingTheOuterTaskLeavesTheShieldedInnerRunning() {
    // asyncio test_shield_effect: proof == 1, and the +100 after the shield never runs
    AtomicInteger proof = new AtomicInteger();
    Task<Integer> inner = t.on(() -> Aio.createTask(() -> Aio.sleep(Duration.ofMillis(50))
        .thenApply(v -> proof.incrementAndGet())));
    Task<Integer> outer = t.on(() -> Aio.createTask(() -> Aio.shield(inner).thenApply(v -> proof.addAndGet(100))));
    t.runBriefly();
    outer.cancel();
    TestLoop.settle(outer);
    assertThat(outer.isCancelled()).isTrue();
    assertThat(TestLoop.await(inner)).isEqualTo(1);
    t.runBriefly();
    assertThat(proof).hasValue(1);
  }

  @Test
  void aCancelledInnerCancelsTheShield() {
    // asyncio test_shield_result / cancelled inner => outer.cancelled()
    CompletablePromise<Integer> inner = t.loop.newPromise();
    Promise<Integer> outer = t.on(() -> Aio.shield(inner));
    inner.cancel();
    TestLoop.settle(outer);
    assertThat(outer.isCancelled()).isTrue();
  }

  @Test
  void anInnerFailureFailsTheShieldWithTheSameException() {
    // asyncio test_shield_exception: outer.exception() is exc
    IllegalStateException exc = new IllegalStateException("exc");
    CompletablePromise<Integer> inner = t.loop.newPromise();
    Promise<Integer> outer = t.on(() -> Aio.shield(inner));
    inner.fail(exc);
    TestLoop.settle(outer);
    assertThat(outer.exception()).isSameAs(exc);
  }

  @Test
  void anInnerValueIsTheShieldsValue() {
    CompletablePromise<Integer> inner = t.loop.newPromise();
    Promise<Integer> outer = t.on(() -> Aio.shield(inner));
    inner.complete(42);
    assertThat(TestLoop.await(outer)).isEqualTo(42);
  }

  @Test
  void aSettledInnerIsReturnedAsItIs() {
    // asyncio test_shield_shortcut
    Promise<Integer> done = t.on(() -> Promise.completed(42));
    assertThat(t.on(() -> Aio.shield(done))).isSameAs(done);
  }

  @Test
  void cancellingAGatherOfShieldsCancelsTheShieldsButNotTheInners() {
    // asyncio test_gather_shield: gather(shield(c1), shield(c2)).cancel() => c1 and c2 not cancelled
    CompletablePromise<Integer> c1 = t.loop.newPromise();
    CompletablePromise<Integer> c2 = t.loop.newPromise();
    Promise<List<Integer>> all = t.on(() -> Aio.gather(Aio.shield(c1), Aio.shield(c2)));
    assertThat(all.cancel()).isTrue();
    TestLoop.settle(all);
    assertThat(all.isCancelled()).isTrue();
    assertThat(c1.isCancelled()).isFalse();
    assertThat(c2.isCancelled()).isFalse();
  }

  @Test
  void aShieldedGatherStillProducesItsValuesWhenTheShieldIsCancelled() {
    // asyncio test_shield_gather: shield(gather(c1, c2)), outer cancelled => the gather gives [1, 2]
    CompletablePromise<Integer> c1 = t.loop.newPromise();
    CompletablePromise<Integer> c2 = t.loop.newPromise();
    Promise<List<Integer>> gathered = t.on(() -> Aio.gather(c1, c2));
    Promise<List<Integer>> outer = t.on(() -> Aio.shield(gathered));
    assertThat(outer.cancel()).isTrue();
    c1.complete(1);
    c2.complete(2);
    assertThat(TestLoop.await(gathered)).containsExactly(1, 2);
    assertThatThrownBy(outer::result).isInstanceOf(CancelledException.class);
  }

  @Test
  void anInnerTaskFailingAfterItsShieldWasCancelledIsNotReportedAsNeverRetrieved() {
    // asyncio (before 3.14): _inner_done_callback marks the exception retrieved once the outer is cancelled
    Task<Integer> inner = t.on(() -> Aio.createTask(() -> Aio.sleep(Duration.ofMillis(20)).thenApply(v -> {
      throw new IllegalStateException("late");
    })));
    Promise<Integer> outer = t.on(() -> Aio.shield(inner));
    outer.cancel();
    TestLoop.settle(inner);
    t.close();
    assertThat(t.errors()).isEmpty();
  }
}
