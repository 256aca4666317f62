package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.internal.LoopThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Between two awaits an async body has its loop thread to itself (asyncio's guarantee): plain,
 * unsynchronized counters shared with the thread's other tasks and callbacks stay exact.
 */
@Timeout(300)
class AsyncExclusionTest {
  private static final int BODIES = 1_000;
  private static final int AWAITS_PER_BODY = 900;
  private static final int CALLBACK_TASKS = 1_000;
  private static final int STEPS_PER_CALLBACK_TASK = 100;

  /** Plain fields, deliberately not atomic: a lost update shows a broken exclusion. */
  private int shared;

  private int sharedThenIncremented() {
    int before = shared;
    Thread.onSpinWait(); // widen the window a concurrent increment would fall into
    shared = before + 1;
    return before;
  }

  @Test
  void bodiesAndCallbackTasksOnOneLoopThreadNeverInterleave() {
    try (TestLoop t = new TestLoop()) {
      // 900,000 awaits of bodies plus 100,000 continuation steps of callback tasks: 10^6 suspensions.
      Promise<List<Object>> all = t.onLoop(() -> {
        List<Promise<?>> tasks = new ArrayList<>();
        for (int i = 0; i < BODIES; i++) {
          tasks.add(Aio.async(() -> {
            for (int k = 0; k < AWAITS_PER_BODY; k++) {
              sharedThenIncremented();
              Aio.await(Aio.sleep(Duration.ZERO));
            }
            return null;
          }));
        }
        for (int i = 0; i < CALLBACK_TASKS; i++) {
          int[] left = {STEPS_PER_CALLBACK_TASK};
          tasks.add(Aio.createTask(() -> Aio.repeatWhile(() -> {
            sharedThenIncremented();
            return Aio.sleep(Duration.ZERO, --left[0] > 0);
          })));
        }
        return Aio.gather(tasks);
      });
      all.join(Duration.ofSeconds(280));
      assertThat(shared).isEqualTo(BODIES * AWAITS_PER_BODY + CALLBACK_TASKS * STEPS_PER_CALLBACK_TASK);
    } // TestLoop.close: the loop's internal exclusion check reported nothing to the exception handler
  }

  @Test
  void onFourLoopThreadsEachBodyStaysOnItsOwnThreadAndExcludesItsNeighbours() {
    Map<LoopThread, int[]> perThread = new IdentityHashMap<>();
    try (TestLoop t = new TestLoop(4)) {
      List<Promise<Integer>> mismatches = new ArrayList<>();
      for (int n = 0; n < 4; n++) {
        // loop.submit picks the next thread in turn: one starter task per loop thread.
        mismatches.add(t.start(() -> {
          LoopThread home = LoopThread.current();
          int[] counter = new int[1];
          synchronized (perThread) {
            perThread.put(home, counter);
          }
          List<Promise<Integer>> bodies = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            bodies.add(Aio.async(() -> {
              int moved = 0;
              for (int k = 0; k < 400; k++) {
                int before = counter[0];
                Thread.onSpinWait();
                counter[0] = before + 1;
                Aio.await(Aio.sleep(Duration.ZERO));
                if (LoopThread.current() != home || !home.inEventLoop()) {
                  moved++;
                }
              }
              return moved;
            }));
            int[] left = {400};
            bodies.add(Aio.createTask(() -> Aio.repeatWhile(() -> {
              int before = counter[0];
              Thread.onSpinWait();
              counter[0] = before + 1;
              return Aio.sleep(Duration.ZERO, --left[0] > 0);
            }).thenApply(x -> 0)));
          }
          return Aio.gather(bodies).thenApply(l -> l.stream().mapToInt(Integer::intValue).sum());
        }));
      }
      for (Promise<Integer> m : mismatches) {
        assertThat(m.join(Duration.ofSeconds(200))).isZero();
      }
      assertThat(perThread).hasSize(4);
      for (int[] counter : perThread.values()) {
        assertThat(counter[0]).isEqualTo(50 * 400 + 50 * 400);
      }
    }
  }
}
