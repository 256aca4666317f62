package dev.aionet.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Loop;
import dev.aionet.core.TimerHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timers at absolute loop times fire in (deadline, creation) order, as asyncio's heap. */
@Timeout(30)
class LoopTimersTest {

  @Test
  void timersForTheSameDeadlineFireInTheOrderTheyWereMadeAndCancelledOnesNever() {
    try (Loop loop = Loop.create()) {
      for (int round = 0; round < 20; round++) {
        List<String> fired = loop.runUntilComplete(() -> {
          LoopThread ctx = LoopThread.require();
          List<String> order = new ArrayList<>();
          double when = LoopTime.now() + 0.005;
          ctx.callAt(when + 0.001, () -> order.add("later"));
          for (int i = 0; i < 5; i++) {
            int n = i;
            ctx.callAt(when, () -> order.add("same-" + n));
          }
          TimerHandle cancelled = ctx.callAt(when, () -> order.add("cancelled"));
          cancelled.cancel();
          ctx.callAt(when - 0.001, () -> order.add("earlier"));
          return dev.aionet.core.Aio.sleep(Duration.ofMillis(30)).thenApply(x -> order);
        });
        assertThat(fired).containsExactly("earlier", "same-0", "same-1", "same-2", "same-3", "same-4", "later");
      }
    }
  }

  @Test
  void aHundredThousandCancelledTimersNeverFire() {
    try (Loop loop = Loop.create()) {
      Integer fired = loop.runUntilComplete(() -> {
        LoopThread ctx = LoopThread.require();
        int[] count = {0};
        for (int i = 0; i < 100_000; i++) {
          ctx.callAt(LoopTime.now() + 3600, () -> count[0]++).cancel();
        }
        ctx.callAt(LoopTime.now(), () -> count[0]++);
        return dev.aionet.core.Aio.sleep(Duration.ofMillis(10)).thenApply(x -> count[0]);
      });
      assertThat(fired).isEqualTo(1);
    }
  }
}
