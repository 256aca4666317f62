package dev.aionet.bench;

import dev.aionet.core.CompletablePromise;
import dev.aionet.core.Promise;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A chain of {@value #STEPS} {@code thenCompose} steps, each returning an already completed
 * promise, built on a pending head which is then completed: aionet beside
 * {@code CompletableFuture.thenCompose} and the same chain written by hand with Netty promises
 * and listeners (Netty 4.2 has no compose). One operation is one whole chain: built, run, and
 * its end observed by one final continuation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ComposeChainBenchmark.CHAINS)
public class ComposeChainBenchmark extends LoopBenchmark {
  static final int CHAINS = 1_000;
  static final int STEPS = 10;

  @Benchmark
  public long aionetThenCompose() {
    return onLoop(() -> {
      CompletablePromise<Long> allDone = CompletablePromise.create();
      ChainCounter counter = new ChainCounter(allDone);
      for (int c = 0; c < CHAINS; c++) {
        CompletablePromise<Integer> head = CompletablePromise.create();
        Promise<Integer> chain = head;
        for (int s = 0; s < STEPS; s++) {
          chain = chain.thenCompose(x -> Promise.completed(x + 1));
        }
        chain.thenAccept(counter::chainEnded);
        head.complete(0);
      }
      return allDone;
    });
  }

  @Benchmark
  public long completableFutureThenCompose() {
    return onLoop(() -> {
      CompletablePromise<Long> allDone = CompletablePromise.create();
      ChainCounter counter = new ChainCounter(allDone);
      for (int c = 0; c < CHAINS; c++) {
        CompletableFuture<Integer> head = new CompletableFuture<>();
        CompletableFuture<Integer> chain = head;
        for (int s = 0; s < STEPS; s++) {
          chain = chain.thenCompose(x -> CompletableFuture.completedFuture(x + 1));
        }
        chain.thenAccept(counter::chainEnded);
        head.complete(0);
      }
      return allDone;
    });
  }

  @Benchmark
  public long nettyListenerChain() {
    return onLoop(() -> {
      CompletablePromise<Long> allDone = CompletablePromise.create();
      ChainCounter counter = new ChainCounter(allDone);
      for (int c = 0; c < CHAINS; c++) {
        io.netty.util.concurrent.Promise<Integer> head = executor.newPromise();
        Future<Integer> chain = head;
        for (int s = 0; s < STEPS; s++) {
          chain = composeStep(executor, chain);
        }
        chain.addListener(f -> counter.chainEnded((Integer) f.getNow()));
        head.setSuccess(0);
      }
      return allDone;
    });
  }

  /** thenCompose(x -> succeeded(x + 1)) in Netty: a listener that follows the inner future. */
  private static Future<Integer> composeStep(EventExecutor executor, Future<Integer> source) {
    io.netty.util.concurrent.Promise<Integer> next = executor.newPromise();
    source.addListener(f -> {
      Future<Integer> inner = executor.newSucceededFuture((Integer) f.getNow() + 1);
      inner.addListener(g -> next.setSuccess((Integer) g.getNow()));
    });
    return next;
  }

  /** Checks each chain's end value and completes {@code allDone} after the last chain. */
  private static final class ChainCounter {
    private final CompletablePromise<Long> allDone;
    private long ended;

    ChainCounter(CompletablePromise<Long> allDone) {
      this.allDone = allDone;
    }

    void chainEnded(Integer value) {
      check(value == STEPS, "a chain of " + STEPS + " steps ended with " + value);
      if (++ended == CHAINS) {
        allDone.complete(ended);
      }
    }
  }
}
