package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class BarrierTest {
  private final TestLoop loop = new TestLoop();
  private final AsyncBarrier barrier = new AsyncBarrier(3);

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  private List<Task<Integer>> parties(int n) {
    List<Task<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(loop.start(barrier::await));
      loop.runBriefly();
    }
    return tasks;
  }

  @Test
  void lessThanOnePartyIsRejected() {
    // asyncio: test_barrier_parties / ValueError('parties must be > 0')
    assertThatThrownBy(() -> new AsyncBarrier(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLastPartyReleasesEveryoneWithArrivalIndices() {
    // asyncio: test_wait_more / test_return_index
    List<Task<Integer>> first = parties(2);
    assertThat(barrier.waiting()).isEqualTo(2);
    assertThat(first).noneMatch(Promise::isDone);
    List<Task<Integer>> last = parties(1);
    loop.runBriefly();
    assertThat(first.get(0).join()).isZero();
    assertThat(first.get(1).join()).isEqualTo(1);
    assertThat(last.get(0).join()).isEqualTo(2);
    assertThat(barrier.waiting()).isZero();
    assertThat(barrier.parties()).isEqualTo(3);
  }

  @Test
  void theBarrierStartsOverForTheNextRound() {
    // asyncio: test_filling_tasks_wait_for_draining / repeated rounds
    for (int round = 0; round < 3; round++) {
      List<Task<Integer>> tasks = parties(3);
      loop.runBriefly();
      assertThat(tasks).allMatch(Promise::isSuccess);
      assertThat(tasks.stream().map(Promise::result)).containsExactly(0, 1, 2);
    }
    assertThat(barrier.waiterCount()).isZero();
  }

  @Test
  void abortFailsWaitersAndLaterCallersUntilReset() {
    // asyncio: test_abort_barrier
    List<Task<Integer>> waiting = parties(2);
    barrier.abort();
    loop.runBriefly();
    for (Task<Integer> t : waiting) {
      assertThatThrownBy(t::join).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(BrokenBarrierException.class);
    }
    assertThat(barrier.isBroken()).isTrue();
    Task<Integer> later = loop.start(barrier::await);
    assertThatThrownBy(() -> later.join(TestLoop.WAIT)).hasCauseInstanceOf(BrokenBarrierException.class);

    barrier.reset();
    assertThat(barrier.isBroken()).isFalse();
    List<Task<Integer>> again = parties(3);
    loop.runBriefly();
    assertThat(again).allMatch(Promise::isSuccess);
  }

  @Test
  void resetFailsTheWaitersAndStartsAnEmptyRound() {
    // asyncio: test_reset_barrier_while_tasks_waiting
    List<Task<Integer>> waiting = parties(2);
    barrier.reset();
    loop.runBriefly();
    assertThat(waiting).allMatch(Promise::isFailed);
    for (Task<Integer> t : waiting) {
      assertThat(t.exception()).isInstanceOf(BrokenBarrierException.class).hasMessage("Abort or reset of barrier");
    }
    assertThat(barrier.waiting()).isZero();
    assertThat(barrier.isBroken()).isFalse();
    List<Task<Integer>> next = parties(3);
    loop.runBriefly();
    assertThat(next).allMatch(Promise::isSuccess);
  }

  @Test
  void aCancelledWaiterLeavesTheRound() {
    // asyncio: test_barrier_cancel... (a cancelled party's finally does count -= 1)
    List<Task<Integer>> waiting = parties(2);
    waiting.get(0).cancel();
    loop.runBriefly();
    assertThat(waiting.get(0).isCancelled()).isTrue();
    assertThat(barrier.waiting()).isEqualTo(1);
    assertThat(barrier.waiterCount()).isEqualTo(1);
    List<Task<Integer>> more = parties(1);
    assertThat(more.get(0).isDone()).isFalse();
    List<Task<Integer>> last = parties(1);
    loop.runBriefly();
    assertThat(waiting.get(1).join()).isZero();
    assertThat(more.get(0).join()).isEqualTo(1);
    assertThat(last.get(0).join()).isEqualTo(2);
  }
}
