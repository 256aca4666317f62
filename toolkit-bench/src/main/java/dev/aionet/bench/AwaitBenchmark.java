package dev.aionet.bench;

import dev.aionet.core.Aio;
import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The cost of one {@code Aio.await} in an async body against one {@code thenCompose} step of a
 * callback chain: of a promise already settled (no suspension), and of one settled on the next
 * turn (a suspension and a resume, the echo's case). Forked with java.lang opened, so on Java 24+
 * bodies use their loop thread as carrier; on 21-23 they hand off to a virtual thread, on 17 to a
 * platform thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(AwaitBenchmark.N)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class AwaitBenchmark extends LoopBenchmark {
  static final int N = 10_000;
  private static final Promise<Integer> ONE = Promise.completed(1);

  private int sum;

  /** Await of a settled promise, N times in one body: returns at once. */
  @Benchmark
  public int awaitSettled() {
    return onLoop(() -> Aio.async(() -> {
      int s = 0;
      for (int i = 0; i < N; i++) {
        s += Aio.await(ONE);
      }
      check(s == N, s + " of " + N);
      return s;
    }));
  }

  /** The callback baseline of awaitSettled: N thenCompose steps over a settled promise. */
  @Benchmark
  public int thenComposeSettled() {
    return onLoop(() -> {
      sum = 0;
      return Aio.repeatWhile(() -> ONE.thenCompose(v -> {
        sum += v;
        return Promise.completed(sum < N);
      })).thenApply(x -> {
        check(sum == N, sum + " of " + N);
        return sum;
      });
    });
  }

  /** Await of a promise settled on the next turn: the body suspends and resumes each time. */
  @Benchmark
  public int awaitNextTurn() {
    return onLoop(() -> Aio.async(() -> {
      int s = 0;
      for (int i = 0; i < N; i++) {
        s += Aio.await(nextTurn());
      }
      check(s == N, s + " of " + N);
      return s;
    }));
  }

  /** The callback baseline of awaitNextTurn: N thenCompose steps over a promise of the next turn. */
  @Benchmark
  public int thenComposeNextTurn() {
    return onLoop(() -> {
      sum = 0;
      return Aio.repeatWhile(() -> nextTurn().thenCompose(v -> {
        sum += v;
        return Promise.completed(sum < N);
      })).thenApply(x -> {
        check(sum == N, sum + " of " + N);
        return sum;
      });
    });
  }

  /** A promise completed with 1 by a callback of the next turn (what a read of new bytes is). */
  private Promise<Integer> nextTurn() {
    CompletablePromise<Integer> p = loop.newPromise();
    loop.callSoon(() -> p.complete(1));
    return p;
  }
}
