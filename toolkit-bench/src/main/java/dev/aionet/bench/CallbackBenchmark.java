package dev.aionet.bench;

import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A callback deferred to a later turn of the loop: aionet's {@code addDoneCallback} on a settled
 * promise (asyncio's {@code call_soon} of the callback, never inline) beside Netty's
 * {@code executor.execute}, the cheapest way to run something later on a Netty loop thread.
 * One operation is one registration plus the callback's run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CallbackBenchmark.N)
public class CallbackBenchmark extends LoopBenchmark {
  static final int N = 10_000;

  @Benchmark
  public long aionetAddDoneCallback() {
    return onLoop(() -> {
      CompletablePromise<String> settled = CompletablePromise.create();
      settled.complete("done");
      CompletablePromise<Long> allRan = CompletablePromise.create();
      CountingCallback callback = new CountingCallback(allRan);
      for (int i = 0; i < N; i++) {
        settled.addDoneCallback(callback);
      }
      check(callback.count == 0, "addDoneCallback never runs inline");
      return allRan;
    });
  }

  @Benchmark
  public long nettyExecute() {
    return onLoop(() -> {
      CompletablePromise<Long> allRan = CompletablePromise.create();
      CountingCallback callback = new CountingCallback(allRan);
      Runnable task = () -> callback.accept(null);
      for (int i = 0; i < N; i++) {
        executor.execute(task);
      }
      return allRan;
    });
  }

  /** Counts its runs and completes {@code allRan} at the N-th. */
  private static final class CountingCallback implements Consumer<Promise<String>> {
    private final CompletablePromise<Long> allRan;
    long count;

    CountingCallback(CompletablePromise<Long> allRan) {
      this.allRan = allRan;
    }

    @Override
    public void accept(Promise<String> ignored) {
      if (++count == N) {
        allRan.complete(count);
      }
    }
  }
}
