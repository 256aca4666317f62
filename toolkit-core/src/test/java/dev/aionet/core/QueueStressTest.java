package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue shared by many producer and consumer tasks spread over four loop threads: every
 * item is delivered exactly once, nothing deadlocks, and each waiter resumes on its own thread.
 */
@Timeout(180)
class QueueStressTest {
  private static final Logger log = LoggerFactory.getLogger(QueueStressTest.class);

  private static final int ITEMS = 1_000_000;
  private static final int PRODUCERS = 16;
  private static final int CONSUMERS = 16;
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @Test
  void aMillionItemsCrossFourLoopThreadsExactlyOnce() {
    AsyncQueue<Integer> queue = new AsyncQueue<>(256);
    AtomicIntegerArray seen = new AtomicIntegerArray(ITEMS);
    AtomicInteger delivered = new AtomicInteger();
    AtomicInteger wrongThread = new AtomicInteger();
    Duration elapsed;
    try (TestLoop loop = new TestLoop(4)) {
      long start = System.nanoTime();
      List<Task<Void>> consumers = new ArrayList<>();
      for (int c = 0; c < CONSUMERS; c++) {
        consumers.add(loop.start(() -> consume(queue, seen, delivered, wrongThread)));
      }
      List<Task<Void>> producers = new ArrayList<>();
      int share = ITEMS / PRODUCERS;
      for (int p = 0; p < PRODUCERS; p++) {
        int from = p * share;
        int to = p == PRODUCERS - 1 ? ITEMS : from + share;
        producers.add(loop.start(() -> {
          Thread home = Thread.currentThread();
          return sequentially(from, to, i -> {
            if (Thread.currentThread() != home) {
              wrongThread.incrementAndGet();
            }
            return queue.put(i);
          });
        }));
      }
      for (Task<Void> producer : producers) {
        producer.join(DEADLINE);
      }
      queue.shutdown(false); // consumers drain what is left, then get QueueShutDownException
      for (Task<Void> consumer : consumers) {
        consumer.join(DEADLINE);
      }
      elapsed = Duration.ofNanos(System.nanoTime() - start);
    }
    long perSecond = ITEMS * 1_000_000_000L / Math.max(1, elapsed.toNanos());
    log.info("{} items through AsyncQueue(256), {} producers, {} consumers, 4 loop threads: {} ms, {} items/s",
        ITEMS, PRODUCERS, CONSUMERS, elapsed.toMillis(), perSecond);

    assertThat(delivered).hasValue(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      if (seen.get(i) != 1) {
        throw new AssertionError("item " + i + " was delivered " + seen.get(i) + " times");
      }
    }
    assertThat(wrongThread).as("continuations that ran off their own loop thread").hasValue(0);
    assertThat(elapsed).isLessThan(DEADLINE);
    assertThat(queue.getterCount()).isZero();
    assertThat(queue.putterCount()).isZero();
    assertThat(queue.size()).isZero();
  }

  /** Gets until the queue is shut down and empty, counting each item it sees. */
  private static Promise<Void> consume(AsyncQueue<Integer> queue, AtomicIntegerArray seen, AtomicInteger delivered,
      AtomicInteger wrongThread) {
    Thread home = Thread.currentThread();
    CompletablePromise<Void> done = CompletablePromise.create();
    new Object() {
      void next() {
        while (true) {
          Promise<Integer> got = queue.get();
          if (!got.isDone()) {
            got.handle((item, error) -> {
              if (accept(got)) {
                next();
              }
              return null;
            });
            return;
          }
          if (!accept(got)) {
            return;
          }
        }
      }

      boolean accept(Promise<Integer> got) {
        if (Thread.currentThread() != home) {
          wrongThread.incrementAndGet();
        }
        if (got.isSuccess()) {
          seen.incrementAndGet(got.result());
          delivered.incrementAndGet();
          return true;
        }
        Throwable error = got.isCancelled() ? new CancelledException() : got.exception();
        if (error instanceof QueueShutDownException) {
          done.complete(null);
        } else {
          done.fail(error);
        }
        return false;
      }
    }.next();
    return done;
  }

  /** Calls {@code step(i)} for each i in [from, to), each once the previous succeeded, in constant stack. */
  static Promise<Void> sequentially(int from, int to, IntFunction<Promise<?>> step) {
    CompletablePromise<Void> done = CompletablePromise.create();
    new Object() {
      int i = from;

      void next() {
        while (i < to) {
          Promise<?> p = step.apply(i++);
          if (!p.isDone()) {
            p.handle((v, error) -> {
              if (settledWell(p)) {
                next();
              }
              return null;
            });
            return;
          }
          if (!settledWell(p)) {
            return;
          }
        }
        done.complete(null);
      }

      boolean settledWell(Promise<?> p) {
        if (p.isSuccess()) {
          return true;
        }
        done.fail(p.isCancelled() ? new CancelledException() : p.exception());
        return false;
      }
    }.next();
    return done;
  }
}
