package dev.aionet.bench;

import dev.aionet.core.Aio;
import dev.aionet.core.CompletablePromise;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * {@value #SLEEPS} concurrent 1 ms sleeps started at once on the loop thread, each observed by
 * one continuation: {@code Aio.sleep(...).thenAccept(...)} beside Netty's
 * {@code executor.schedule(runnable, 1 ms)}. One operation is one sleep, scheduled and fired;
 * the 1 ms floor of an invocation adds 10 ns per operation to both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SleepBenchmark.SLEEPS)
public class SleepBenchmark extends LoopBenchmark {
  static final int SLEEPS = 100_000;
  private static final Duration DELAY = Duration.ofMillis(1);

  private long woke;

  @Benchmark
  public long aionetSleep() {
    return onLoop(() -> {
      woke = 0;
      CompletablePromise<Long> allWoke = CompletablePromise.create();
      for (int i = 0; i < SLEEPS; i++) {
        Aio.sleep(DELAY).thenAccept(v -> wake(allWoke));
      }
      return allWoke;
    });
  }

  @Benchmark
  public long nettySchedule() {
    return onLoop(() -> {
      woke = 0;
      CompletablePromise<Long> allWoke = CompletablePromise.create();
      Runnable wake = () -> wake(allWoke);
      for (int i = 0; i < SLEEPS; i++) {
        executor.schedule(wake, DELAY.toNanos(), TimeUnit.NANOSECONDS);
      }
      return allWoke;
    });
  }

  private void wake(CompletablePromise<Long> allWoke) {
    if (++woke == SLEEPS) {
      allWoke.complete(woke);
    }
  }
}
