package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Composition, primitives and queues work from inside an async body as from a callback chain. */
@Timeout(60)
class AsyncCompositionTest {

  private static <T> T inBody(Callable<T> body) {
    return Aio.run(() -> Aio.async(body));
  }

  @Test
  void timeoutCancelsTheAwaitAndFailsWithAsyncTimeoutException() {
    String outcome = inBody(() -> {
      try {
        // asyncio: async with asyncio.timeout(0.05): await asyncio.sleep(3600)
        Aio.await(Aio.timeout(Duration.ofMillis(50), () -> Aio.sleep(Duration.ofHours(1))));
        return "no timeout";
      } catch (AsyncTimeoutException e) {
        return "timed out";
      }
    });
    assertThat(outcome).isEqualTo("timed out");
  }

  @Test
  void timeoutAroundAnInnerBodyCancelsTheInnerBodysAwait() {
    List<String> seen = inBody(() -> {
      List<String> r = new ArrayList<>();
      try {
        Aio.await(Aio.timeout(Duration.ofMillis(50), () -> Aio.async(() -> {
          try {
            return Aio.await(Aio.sleep(Duration.ofHours(1)));
          } catch (CancelledException e) {
            r.add("inner body cancelled");
            throw e;
          }
        })));
      } catch (AsyncTimeoutException e) {
        r.add("timeout");
      }
      return r;
    });
    assertThat(seen).containsExactly("inner body cancelled", "timeout");
  }

  @Test
  void waitForGivesTheValueOrTheTimeout() {
    List<Object> r = inBody(() -> {
      List<Object> out = new ArrayList<>();
      out.add(Aio.await(Aio.waitFor(Aio.sleep(Duration.ofMillis(1), "quick"), Duration.ofSeconds(10))));
      Promise<Void> slow = Aio.sleep(Duration.ofHours(1));
      assertThatThrownBy(() -> Aio.await(Aio.waitFor(slow, Duration.ofMillis(20))))
          .isInstanceOf(AsyncTimeoutException.class);
      out.add(slow.isCancelled());
      return out;
    });
    assertThat(r).containsExactly("quick", true);
  }

  @Test
  void gatherOfBodiesRunsThemConcurrently() {
    long start = System.nanoTime();
    List<String> r = inBody(() -> Aio.await(Aio.gather(
        Aio.async(() -> Aio.await(Aio.sleep(Duration.ofMillis(300), "a"))),
        Aio.async(() -> Aio.await(Aio.sleep(Duration.ofMillis(300), "b"))),
        Aio.async(() -> Aio.await(Aio.sleep(Duration.ofMillis(300), "c"))))));
    assertThat(r).containsExactly("a", "b", "c");
    // concurrent: well under the 900 ms a sequential run would take (generous bound)
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(880));
  }

  @Test
  void taskGroupCancelsSiblingBodiesOnTheFirstFailure() {
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    assertThatThrownBy(() -> inBody(() -> Aio.await(Aio.taskGroup(tg -> {
      tg.createTask(() -> Aio.async(() -> {
        try {
          return Aio.await(Aio.sleep(Duration.ofHours(1)));
        } catch (CancelledException e) {
          log.add("sibling cancelled");
          throw e;
        }
      }));
      tg.createTask(() -> Aio.async(() -> {
        Aio.await(Aio.sleep(Duration.ofMillis(10)));
        throw new IllegalStateException("boom");
      }));
      return Promise.completed("body");
    })))).isInstanceOf(TaskGroupException.class);
    assertThat(log).containsExactly("sibling cancelled");
  }

  @Test
  void lockEventConditionSemaphoreAndBarrierWorkBetweenBodies() {
    List<String> r = inBody(() -> {
      List<String> out = new ArrayList<>();
      AsyncLock lock = new AsyncLock();
      AsyncEvent event = new AsyncEvent();
      AsyncCondition condition = new AsyncCondition();
      AsyncSemaphore semaphore = new AsyncSemaphore(1);
      AsyncBoundedSemaphore bounded = new AsyncBoundedSemaphore(1);
      AsyncBarrier barrier = new AsyncBarrier(2);

      Aio.await(lock.acquire());
      Task<Void> contender = Aio.async(() -> {
        Aio.await(lock.acquire());
        out.add("contender got the lock");
        lock.release();
        return null;
      });
      Aio.await(Aio.sleep(Duration.ofMillis(5)));
      out.add("holder releases");
      lock.release();
      Aio.await(contender);

      Task<Void> waiter = Aio.async(() -> {
        Aio.await(event.await());
        out.add("event seen");
        return null;
      });
      Aio.await(Aio.sleep(Duration.ZERO));
      event.set();
      Aio.await(waiter);

      Task<Void> conditionWaiter = Aio.async(() -> {
        Aio.await(condition.acquire());
        Aio.await(condition.await());
        out.add("signalled");
        condition.release();
        return null;
      });
      Aio.await(Aio.sleep(Duration.ZERO));
      Aio.await(condition.acquire());
      condition.signal();
      condition.release();
      Aio.await(conditionWaiter);

      Aio.await(semaphore.acquire());
      Task<Void> second = Aio.async(() -> {
        Aio.await(semaphore.acquire());
        out.add("semaphore passed");
        semaphore.release();
        return null;
      });
      Aio.await(Aio.sleep(Duration.ZERO));
      semaphore.release();
      Aio.await(second);
      Aio.await(bounded.acquire());
      bounded.release();
      assertThatThrownBy(bounded::release).isInstanceOf(IllegalStateException.class);

      Task<Integer> party = Aio.async(() -> Aio.await(barrier.await()));
      int mine = Aio.await(barrier.await());
      out.add("barrier indices " + (mine + Aio.await(party)));
      return out;
    });
    assertThat(r).containsExactly("holder releases", "contender got the lock", "event seen", "signalled",
        "semaphore passed", "barrier indices 1");
  }

  @Test
  void queuesPassItemsBetweenBodiesWithBackpressure() {
    List<Object> r = inBody(() -> {
      List<Object> out = new ArrayList<>();
      AsyncQueue<Integer> fifo = new AsyncQueue<>(2);
      Task<Void> producer = Aio.async(() -> {
        for (int i = 0; i < 5; i++) {
          Aio.await(fifo.put(i)); // waits while the queue is full
        }
        return null;
      });
      for (int i = 0; i < 5; i++) {
        out.add(Aio.await(fifo.get()));
      }
      Aio.await(producer);
      AsyncLifoQueue<String> lifo = new AsyncLifoQueue<>();
      lifo.putNowait("first");
      lifo.putNowait("last");
      out.add(Aio.await(lifo.get()));
      AsyncPriorityQueue<Integer> priority = new AsyncPriorityQueue<>();
      priority.putNowait(9);
      priority.putNowait(1);
      out.add(Aio.await(priority.get()));
      Task<String> getter = Aio.async(() -> {
        try {
          return "got " + Aio.await(new AsyncQueue<String>().get());
        } catch (CancelledException e) {
          return "get cancelled";
        }
      });
      Aio.await(Aio.sleep(Duration.ZERO));
      getter.cancel();
      out.add(Aio.await(getter));
      return out;
    });
    assertThat(r).containsExactly(0, 1, 2, 3, 4, "last", 1, "get cancelled");
  }

  @Test
  void toThreadRunsBlockingCodeWhileTheBodyIsSuspended() {
    String r = inBody(() -> Aio.await(Aio.toThread(() -> {
      Thread.sleep(20); // fine here: another thread
      return "from another thread";
    })));
    assertThat(r).isEqualTo("from another thread");
  }
}
