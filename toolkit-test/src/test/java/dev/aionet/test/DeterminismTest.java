package dev.aionet.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncQueue;
import dev.aionet.core.Loop;
import dev.aionet.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pure logic on a virtual clock with no I/O grace gives the same result, to the nanosecond, every
 * time: 200 runs in CI, {@code -Daionet.determinismRuns=1000} for the full count.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeterminismTest {
  private static final int RUNS = Integer.getInteger("aionet.determinismRuns", 200);
  private static final TestLoopOptions NO_GRACE = TestLoopOptions.builder().ioGrace(Duration.ZERO).build();

  /**
   * Three producers with different paces feed a queue; a consumer with a per-item timeout logs
   * what it got and when, and gives up after a quiet spell.
   */
  private static Promise<List<String>> program() {
    AsyncQueue<String> queue = new AsyncQueue<>(2);
    List<String> log = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      int producer = p;
      Aio.createTask(() -> produce(queue, producer, 0));
    }
    return consume(queue, log).thenApply(x -> log);
  }

  private static Promise<Void> produce(AsyncQueue<String> queue, int producer, int n) {
    if (n == 5) {
      return Promise.completed(null);
    }
    return Aio.sleep(Duration.ofMillis(70L * (producer + 1) + 13L * n))
        .thenCompose(x -> queue.put("p" + producer + "-" + n))
        .thenCompose(x -> produce(queue, producer, n + 1));
  }

  private static Promise<Void> consume(AsyncQueue<String> queue, List<String> log) {
    return Aio.waitFor(queue.get(), Duration.ofMillis(250)).handle((item, e) -> {
      log.add(Loop.current().time() + " " + (e == null ? item : e.getClass().getSimpleName()));
      return e == null;
    }).thenCompose(more -> more ? Aio.sleep(Duration.ofMillis(30)).thenCompose(x -> consume(queue, log))
        : Promise.<Void>completed(null));
  }

  @Test
  void aProgramOfTimersQueuesAndTimeoutsGivesIdenticalResultsInEveryRun() {
    List<String> first = null;
    for (int run = 0; run < RUNS; run++) {
      try (TestLoop t = TestLoop.create(NO_GRACE)) {
        List<String> result = t.run(DeterminismTest::program);
        if (first == null) {
          first = result;
          assertThat(first).hasSize(16).last().asString().endsWith("AsyncTimeoutException");
        } else {
          assertThat(result).as("run %d", run).isEqualTo(first);
        }
      }
    }
  }
}
