package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chains of a million already-completed promises run in constant stack. */
@Timeout(60)
class StackSafetyTest {
  private static final Logger log = LoggerFactory.getLogger(StackSafetyTest.class);
  private static final int ONE_MILLION = 1_000_000;

  /** A recursive loop written the obvious way: each step composes on a completed promise. */
  private static Promise<Integer> countDown(int n) {
    if (n == 0) {
      return Promise.completed(0);
    }
    return Promise.completed(n).thenCompose(x -> countDown(x - 1)).thenApply(x -> x + 1);
  }

  @Test
  void aMillionRecursiveThenComposeStepsOnALoopThreadDoNotOverflow() {
    long start = System.nanoTime();
    int result = Aio.run(() -> countDown(ONE_MILLION));
    log.info("1M-step recursive thenCompose chain on a loop thread: {} ms", (System.nanoTime() - start) / 1_000_000);
    assertThat(result).isEqualTo(ONE_MILLION);
  }

  @Test
  void aMillionRecursiveThenComposeStepsOffEveryLoopDoNotOverflow() {
    long start = System.nanoTime();
    Promise<Integer> p = countDown(ONE_MILLION);
    log.info("1M-step recursive thenCompose chain off-loop: {} ms", (System.nanoTime() - start) / 1_000_000);
    assertThat(p.join(Duration.ofSeconds(30))).isEqualTo(ONE_MILLION);
  }

  @Test
  void aMillionDerivationsOfOnePendingPromiseSettleWithoutOverflow() {
    int last = Aio.run(() -> {
      CompletablePromise<Integer> head = CompletablePromise.create();
      Promise<Integer> p = head;
      for (int i = 0; i < ONE_MILLION; i++) {
        p = p.thenApply(x -> x + 1);
      }
      head.complete(0);
      return p;
    });
    assertThat(last).isEqualTo(ONE_MILLION);
  }
}
