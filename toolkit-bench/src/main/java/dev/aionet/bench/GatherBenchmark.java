package dev.aionet.bench;

import dev.aionet.core.Aio;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * {@code Aio.gather} of {@value #N} promises, already completed or completed after the gather
 * began, beside Netty's {@code PromiseCombiner} and the JDK's {@code CompletableFuture.allOf}
 * (both then read each value, as gather's list holds them). One operation is one gathered
 * promise: creating and completing the inputs is part of it on every side.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(GatherBenchmark.N)
public class GatherBenchmark extends LoopBenchmark {
  static final int N = 10_000;
  private static final long EXPECTED = (long) N * (N - 1) / 2;

  @Benchmark
  public long aionetGatherCompleted() {
    return onLoop(() -> {
      List<Promise<Integer>> inputs = new ArrayList<>(N);
      for (int i = 0; i < N; i++) {
        inputs.add(Promise.completed(i));
      }
      return Aio.gather(inputs).thenApply(GatherBenchmark::sum);
    });
  }

  @Benchmark
  public long aionetGatherPending() {
    return onLoop(() -> {
      List<CompletablePromise<Integer>> inputs = new ArrayList<>(N);
      for (int i = 0; i < N; i++) {
        inputs.add(CompletablePromise.create());
      }
      Promise<Long> total = Aio.gather(inputs).thenApply(GatherBenchmark::sum);
      for (int i = 0; i < N; i++) {
        inputs.get(i).complete(i);
      }
      return total;
    });
  }

  @Benchmark
  public long nettyPromiseCombinerCompleted() {
    return onLoop(() -> combine(true));
  }

  @Benchmark
  public long nettyPromiseCombinerPending() {
    return onLoop(() -> combine(false));
  }

  @Benchmark
  public long completableFutureAllOfPending() {
    return onLoop(() -> {
      List<CompletableFuture<Integer>> inputs = new ArrayList<>(N);
      for (int i = 0; i < N; i++) {
        inputs.add(new CompletableFuture<>());
      }
      CompletableFuture<Long> total = CompletableFuture.allOf(inputs.toArray(new CompletableFuture<?>[0]))
          .thenApply(x -> {
            long sum = 0;
            for (CompletableFuture<Integer> f : inputs) {
              sum += f.join();
            }
            return sum;
          });
      for (int i = 0; i < N; i++) {
        inputs.get(i).complete(i);
      }
      check(total.join() == EXPECTED, "allOf saw every value");
      return Promise.completed(total.join());
    });
  }

  /** Netty's way to wait for many futures: a combiner, then each value read from its future. */
  private Promise<Long> combine(boolean completedFirst) {
    List<DefaultPromise<Integer>> inputs = new ArrayList<>(N);
    for (int i = 0; i < N; i++) {
      DefaultPromise<Integer> p = new DefaultPromise<>(executor);
      if (completedFirst) {
        p.setSuccess(i);
      }
      inputs.add(p);
    }
    PromiseCombiner combiner = new PromiseCombiner(executor);
    for (DefaultPromise<Integer> p : inputs) {
      combiner.add(p);
    }
    CompletablePromise<Long> total = CompletablePromise.create();
    DefaultPromise<Void> all = new DefaultPromise<>(executor);
    all.addListener(f -> {
      long sum = 0;
      for (DefaultPromise<Integer> p : inputs) {
        sum += p.getNow();
      }
      total.complete(sum);
    });
    combiner.finish(all);
    if (!completedFirst) {
      for (int i = 0; i < N; i++) {
        inputs.get(i).setSuccess(i);
      }
    }
    return total.thenApply(sum -> {
      check(sum == EXPECTED, "the combiner saw every value");
      return sum;
    });
  }

  private static long sum(List<Integer> values) {
    long sum = 0;
    for (int v : values) {
      sum += v;
    }
    check(sum == EXPECTED, "gather returned every value");
    return sum;
  }
}
