package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LifoQueueTest {
  private final TestLoop loop = new TestLoop();

  @AfterEach
  void closeLoop() {
    loop.close();
  }

  @Test
  void theLastItemPutComesOutFirst() {
    // asyncio: LifoQueueTests.test_order
    AsyncLifoQueue<Integer> q = new AsyncLifoQueue<>(0);
    for (int i : List.of(1, 3, 2)) {
      q.putNowait(i);
    }
    assertThat(List.of(q.getNowait(), q.getNowait(), q.getNowait())).containsExactly(2, 3, 1);
  }

  @Test
  void waitingGettersAreStillServedInArrivalOrder() {
    AsyncLifoQueue<Integer> q = new AsyncLifoQueue<>();
    Task<Integer> t1 = loop.start(q::get);
    loop.runBriefly();
    Task<Integer> t2 = loop.start(q::get);
    loop.runBriefly();
    loop.call(() -> {
      q.putNowait(1);
      q.putNowait(2);
      return Promise.completed(null);
    });
    assertThat(t1.join(TestLoop.WAIT) + t2.join(TestLoop.WAIT)).isEqualTo(3);
    assertThat(t1.result()).isEqualTo(1);
  }

  @Test
  void aBoundedLifoQueueAppliesBackpressure() {
    AsyncLifoQueue<Integer> q = new AsyncLifoQueue<>(2);
    q.putNowait(1);
    q.putNowait(2);
    Task<Void> put = loop.start(() -> q.put(3));
    loop.runBriefly();
    assertThat(put.isDone()).isFalse();
    assertThat(q.getNowait()).isEqualTo(2);
    put.join(TestLoop.WAIT);
    assertThat(q.getNowait()).isEqualTo(3);
    assertThat(q.getNowait()).isEqualTo(1);
  }
}
