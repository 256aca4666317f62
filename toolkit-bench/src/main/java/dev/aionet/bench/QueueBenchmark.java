package dev.aionet.bench;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncQueue;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * {@code AsyncQueue} handing {@value #N} items from a producer task to a consumer task on one
 * loop thread, both written as {@code repeatWhile} loops of {@code await queue.put(item)} and
 * {@code await queue.get()}: through a queue of size 1 (every put waits for a get: a strict
 * handoff) and an unbounded one. The baseline hands each item over with Netty's
 * {@code executor.execute} (the consumer runs on a later turn, as a woken getter does). One
 * operation is one item put and got.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(QueueBenchmark.N)
public class QueueBenchmark extends LoopBenchmark {
  static final int N = 100_000;
  private static final long EXPECTED = (long) N * (N - 1) / 2;

  private int put;
  private int got;
  private long sum;

  @Benchmark
  public long aionetQueueSize1() {
    return onLoop(() -> handOff(new AsyncQueue<>(1)));
  }

  @Benchmark
  public long aionetQueueUnbounded() {
    return onLoop(() -> handOff(new AsyncQueue<>()));
  }

  @Benchmark
  public long nettyExecuteHandoff() {
    return onLoop(() -> {
      sum = 0;
      got = 0;
      CompletablePromise<Long> done = CompletablePromise.create();
      for (int i = 0; i < N; i++) {
        int item = i;
        executor.execute(() -> {
          sum += item;
          if (++got == N) {
            done.complete(sum);
          }
        });
      }
      return done.thenApply(QueueBenchmark::checked);
    });
  }

  private Promise<Long> handOff(AsyncQueue<Integer> queue) {
    put = 0;
    got = 0;
    sum = 0;
    Promise<Void> consumer = Aio.createTask(() -> Aio.repeatWhile(() -> queue.get().thenApply(item -> {
      sum += item;
      return ++got < N;
    })));
    Aio.createTask(() -> Aio.repeatWhile(() -> queue.put(put).thenApply(x -> ++put < N)));
    return consumer.thenApply(x -> checked(sum));
  }

  private static long checked(long sum) {
    check(sum == EXPECTED, "every item arrived once");
    return sum;
  }
}
