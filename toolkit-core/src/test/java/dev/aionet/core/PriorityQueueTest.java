package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PriorityQueueTest {
  private final TestLoop loop = new TestLoop();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  record Job(int priority, String name) {}

  @Test
  void theSmallestItemComesOutFirst() {
    // asyncio: PriorityQueueTests.test_order
    AsyncPriorityQueue<Integer> q = new AsyncPriorityQueue<>(0);
    for (int i : List.of(1, 3, 2)) {
      q.putNowait(i);
    }
    assertThat(List.of(q.getNowait(), q.getNowait(), q.getNowait())).containsExactly(1, 2, 3);
  }

  @Test
  void aComparatorOrdersTheItems() {
    AsyncPriorityQueue<Job> q = new AsyncPriorityQueue<>(0, Comparator.comparingInt(Job::priority));
    q.putNowait(new Job(5, "low"));
    q.putNowait(new Job(1, "urgent"));
    q.putNowait(new Job(3, "normal"));
    assertThat(q.getNowait().name()).isEqualTo("urgent");
    assertThat(q.getNowait().name()).isEqualTo("normal");
    assertThat(q.getNowait().name()).isEqualTo("low");
  }

  @Test
  void anItemThatCannotBeOrderedIsRefusedAtOnce() {
    AsyncPriorityQueue<Object> q = new AsyncPriorityQueue<>(1);
    assertThatThrownBy(() -> q.putNowait(new Object())).isInstanceOf(ClassCastException.class);
    q.putNowait("full");
    assertThatThrownBy(() -> q.put(new Object())).isInstanceOf(ClassCastException.class);
    assertThat(q.putterCount()).isZero();
  }

  @Test
  void aWaitingGetterGetsTheFirstItemPut() {
    AsyncPriorityQueue<Integer> q = new AsyncPriorityQueue<>(2);
    Task<Integer> getter = loop.start(q::get);
    loop.runBriefly();
    q.putNowait(7);
    assertThat(getter.join(TestLoop.WAIT)).isEqualTo(7);
  }
}
